// Diagonal-covariance Gaussian mixtures: the universal background model (UBM) of the GMM-UBM
// speaker model, its seeded training (k-means initialisation, then EM) and Baum-Welch statistics.
#ifndef IDREG_VOICE_GMM_H_
#define IDREG_VOICE_GMM_H_

#include <cstdint>
#include <vector>

#include "idreg/core/result.h"
#include "idreg/voice/features.h"

namespace idreg::voice {

struct DiagGmm {
  int components = 0;
  int dim = 0;
  std::vector<float> weights;    // components
  std::vector<float> means;      // components x dim
  std::vector<float> variances;  // components x dim

  // Derived by Prepare(): per component log(w) - 0.5 * sum(log(2 pi var) + mean^2/var), mean/var and
  // -0.5/var, so a component's log-likelihood is one pass over x.
  std::vector<float> gconst, mean_ivar, neg_half_ivar;
  void Prepare();

  // log(w_c p(x|c)) for every c into out (size components); returns log p(x).
  float LogLikelihoods(const float* x, float* out) const;
};

struct GmmTrainOptions {
  int components = 128;
  int em_iterations = 10;
  int kmeans_iterations = 10;
  uint64_t seed = 1;
  int threads = 2;
  // Used by TrainGmmUbm for the speaker model around the mixture (defaults: src/voice/parameters.h).
  float relevance = 0;          // MAP relevance factor; 0: the default
  int nap_rank = -1;            // NAP directions; -1: the default, 0: none
};

// EM with k-means initialisation; deterministic for a given seed and thread count.
Result<DiagGmm> TrainDiagGmm(const FeatureMatrix& data, const GmmTrainOptions& options);

// Zeroth- and first-order statistics of features against a GMM: n[c] = sum_t post(c|x_t),
// f[c*dim+i] = sum_t post(c|x_t) x_t[i].
struct BaumWelchStats {
  std::vector<float> n;
  std::vector<float> f;
  double log_likelihood = 0;  // sum over frames
};
BaumWelchStats AccumulateStats(const DiagGmm& gmm, const FeatureMatrix& features);

}  // namespace idreg::voice

#endif  // IDREG_VOICE_GMM_H_
