// Internal: the small dense linear algebra of the speaker model's session compensation (no
// LAPACK/Eigen dependency for one eigen-decomposition of a few hundred rows at training time).
#ifndef IDREG_SRC_VOICE_LINALG_H_
#define IDREG_SRC_VOICE_LINALG_H_

#include <vector>

namespace idreg::voice {

// Eigen-decomposition of a symmetric n x n matrix (row-major) by cyclic Jacobi rotations.
// Eigenvalues come back in descending order; vectors[k*n ... k*n+n) is the unit eigenvector of
// values[k].
struct SymmetricEigen {
  std::vector<double> values;
  std::vector<double> vectors;
};
SymmetricEigen EigenSymmetric(std::vector<double> a, int n);

// Nuisance attribute projection: the `rank` orthonormal directions (rows of dim) of largest
// within-class scatter of `vectors` (each of dim, labelled by `labels`), found through the Gram
// matrix of the within-class deviations. Classes with a single vector contribute nothing.
std::vector<float> WithinClassDirections(const std::vector<std::vector<float>>& vectors,
                                         const std::vector<int>& labels, int rank);

}  // namespace idreg::voice

#endif  // IDREG_SRC_VOICE_LINALG_H_
