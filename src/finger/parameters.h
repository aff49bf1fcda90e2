// Every tuning constant of fingerprint extraction and matching, in one place. Distances are pixels
// at 500 ppi (where ridges repeat every 8-11 pixels); angles are radians. Each value says where it
// came from: "literature" values are from the cited paper, "tuned" values were chosen on FVC2002
// DB1_B..DB4_B (protocol all) by the runs recorded in BENCHMARKS.md, preferring round values that
// sit on a plateau over the best point, for generality.
#ifndef IDREG_SRC_FINGER_PARAMETERS_H_
#define IDREG_SRC_FINGER_PARAMETERS_H_

#include <numbers>

namespace idreg::finger::params {

inline constexpr double kPi = std::numbers::pi;

// --- Input -------------------------------------------------------------------------------------
// Below this an image cannot hold enough ridges to match (about 4 mm at 500 ppi).
inline constexpr int kMinImageSide = 64;
// Above this (about 4 x 4 inches at 500 ppi) the input is not a single finger.
inline constexpr int kMaxImageSide = 2000;

// --- Segmentation (foreground) -----------------------------------------------------------------
inline constexpr int kBlockSize = 8;  // half a ridge-period window is too noisy, 16 too coarse: tuned
// A block is foreground when its gradient energy exceeds this fraction of the image's 95th
// percentile block energy (tuned; the fixed-threshold approach failed on DB3's gray background).
inline constexpr double kForegroundRelativeEnergy = 0.18;
// Absolute floor on the gradient energy (gray levels per pixel), so a blank image has no foreground.
inline constexpr double kForegroundMinEnergy = 6.0;
// Morphological smoothing of the block mask, in blocks (tuned).
inline constexpr int kMaskCloseBlocks = 2;
inline constexpr int kMaskOpenBlocks = 1;
// Less foreground than this (pixels) is "no usable fingerprint" (about 5 x 5 mm).
inline constexpr int kMinForegroundPixels = 100 * 100;

// --- Orientation field -------------------------------------------------------------------------
inline constexpr double kGradientSigma = 1.0;  // pre-smoothing before Sobel (literature: Bazen & Gerez 2002)
inline constexpr double kOrientationSigma =
    6.0;  // structure tensor integration (tuned, about 2/3 ridge period)
inline constexpr double kOrientationSmoothSigma = 7.0;  // smoothing of the doubled-angle field (tuned)

// --- Ridge frequency ---------------------------------------------------------------------------
inline constexpr int kFrequencyWindow = 32;  // samples along the ridge normal (literature: Hong et al. 1998)
inline constexpr int kFrequencyWindowWidth = 16;  // averaged across, along the ridge (Hong et al. 1998)
inline constexpr int kFrequencyStep = 16;         // distance between estimates
inline constexpr double kMinRidgePeriod = 5.0;    // at 500 ppi (Hong et al.: 3-25 at various scales)
inline constexpr double kMaxRidgePeriod = 15.0;
inline constexpr double kDefaultRidgePeriod = 9.0;  // the usual adult period at 500 ppi

// --- Contextual enhancement (oriented Gabor filters) -------------------------------------------
inline constexpr int kGaborOrientations = 16;      // 11.25 degree steps (literature: Hong et al. 1998 used 8)
inline constexpr double kGaborSigmaAcross = 0.45;  // times the ridge period, across ridges (tuned)
inline constexpr double kGaborSigmaAlong = 0.6;    // times the ridge period, along ridges (tuned)

// --- Binarisation and skeleton -----------------------------------------------------------------
inline constexpr int kMinComponentPixels = 24;  // ridge or valley blobs smaller than this are noise (tuned)

// --- Minutiae ----------------------------------------------------------------------------------
inline constexpr int kTraceLength = 10;          // ridge tracing for a minutia's direction (tuned)
inline constexpr double kBorderDistance = 14.0;  // minutiae nearer the background are dropped (tuned)
inline constexpr int kShortRidge = 16;           // an ending whose ridge ends within this is a fragment
inline constexpr int kSpurLength = 14;           // ending-to-bifurcation spurs shorter than this are removed
inline constexpr int kBridgeLength = 12;         // bifurcation-to-bifurcation links shorter than this
inline constexpr double kBreakDistance = 16.0;   // facing endings nearer than this are one broken ridge
inline constexpr double kBreakAngle = kPi / 4;   // "facing": directions within this of opposite
inline constexpr double kClusterRadius = 16.0;   // more than kClusterMax others within this: noise
inline constexpr int kClusterMax = 3;
inline constexpr double kMinCoherence = 0.1;  // minutiae where the orientation is this unclear are dropped
inline constexpr int kMaxMinutiae = 120;      // keep the best of any more (a rolled print has ~100)

// --- Quality -----------------------------------------------------------------------------------
inline constexpr double kQualityFullArea = 200.0 * 250.0;  // foreground (pixels) that counts as complete
inline constexpr int kQualityFullMinutiae = 30;            // minutiae that count as plenty

// --- Matcher: Minutia Cylinder-Code, bit form (Cappelli, Ferrara & Maltoni, IEEE PAMI 2010) -----
inline constexpr double kCylinderRadius = 70;           // R (literature, 500 ppi)
inline constexpr int kCylinderCells = 16;               // NS, spatial cells per side (literature)
inline constexpr int kCylinderDirections = 6;           // ND (literature)
inline constexpr double kCylinderSigmaS = 28.0 / 3;     // sigma_S (literature)
inline constexpr double kCylinderSigmaD = 2 * kPi / 9;  // sigma_D (literature)
inline constexpr double kCylinderMuPsi = 0.01;          // mu_Psi: the bit threshold (literature)
inline constexpr double kHullOffset = 50;  // omega: valid area beyond the minutiae's hull (literature)
inline constexpr double kMinValidCellsRatio = 0.75;   // minVC, of the cells within R (literature)
inline constexpr int kMinCylinderNeighbours = 2;      // minM (literature)
inline constexpr double kMinMatchableRatio = 0.6;     // minME, common valid cells (literature)
inline constexpr double kMaxDirectionDiff = kPi / 2;  // delta_theta (literature)
// Local Similarity Sort with Relaxation (Cappelli, Ferrara & Maltoni, Pattern Recogn. Lett. 2010).
inline constexpr int kMinPairs = 4;                              // minNP (literature)
inline constexpr int kMaxPairs = 12;                             // maxNP (literature)
inline constexpr double kPairsMu = 20;                           // mu_P (literature)
inline constexpr double kPairsTau = 2.0 / 5;                     // tau_P (literature)
inline constexpr int kRelaxationIterations = 5;                  // n_rel (literature)
inline constexpr double kRelaxationWeight = 0.5;                 // w_R (literature)
inline constexpr double kRelaxMu1 = 5, kRelaxTau1 = -8.0 / 5;    // distance (literature)
inline constexpr double kRelaxMu2 = kPi / 12, kRelaxTau2 = -30;  // direction difference
inline constexpr double kRelaxMu3 = kPi / 12, kRelaxTau3 = -30;  // radial angle

// Global consolidation of the MCC pairs: minutiae agreeing under one rigid alignment (tuned; 15 px
// and 22.5 degrees absorb the skin distortion of FVC2002 between nearby minutiae).
inline constexpr int kConsolidationAnchors = 5;
inline constexpr double kConsolidationDistance = 15;
inline constexpr double kConsolidationAngle = kPi / 8;

}  // namespace idreg::finger::params

#endif  // IDREG_SRC_FINGER_PARAMETERS_H_
