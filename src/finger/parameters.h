// Every tuning constant of fingerprint extraction and matching, in one place. Distances are pixels
// at 500 ppi (where ridges repeat every 8-11 pixels); angles are radians. Each value says where it
// came from: "literature" values are from the cited paper, "tuned" values were chosen on FVC2002
// DB1_B..DB4_B (protocol all) by the runs recorded in BENCHMARKS.md, preferring round values that
// sit on a plateau over the best point, for generality.
#ifndef IDREG_SRC_FINGER_PARAMETERS_H_
#define IDREG_SRC_FINGER_PARAMETERS_H_

#include <cstddef>
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
// The gradient energy is taken after a Gaussian blur of this sigma: sensor noise finer than the
// ridges (DB3's capacitive stripes) passes Sobel almost whole, ridges (period 8-11 px) keep about
// half, so DB3's grey background stops counting as finger (tuned: 1.0 / 1.25 / 2.0 gave mean EER
// 3.21 / 3.05 / 4.01%, 1.5 2.85%; BENCHMARKS.md "Sixth session").
inline constexpr double kSegmentationSmoothSigma = 1.5;
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
inline constexpr int kGaborOrientations = 8;  // 22.5 degree steps, as Hong et al. 1998 (16: same EER within noise, twice the time)
inline constexpr double kGaborSigmaAcross = 0.45;  // times the ridge period, across ridges (tuned)
inline constexpr double kGaborSigmaAlong = 0.6;    // times the ridge period, along ridges (tuned)

// --- Binarisation and skeleton -----------------------------------------------------------------
inline constexpr int kMinComponentPixels = 24;  // ridge or valley blobs smaller than this are noise (tuned)

// --- Minutiae ----------------------------------------------------------------------------------
inline constexpr int kTraceLength = 10;          // ridge tracing for a minutia's direction (tuned)
// Minutiae nearer the background are dropped (tuned: 14 before the segmentation's blur, which made
// the mask hug the finger; with it 8 / 10 / 14 gave mean EER 2.85 / 3.13 / 3.29%, and with a
// relative energy of 0.12 instead of 0.18, 6 / 8 / 10 / 12 gave 2.90 / 2.89 / 3.12 / 3.12%).
inline constexpr double kBorderDistance = 8.0;
inline constexpr int kShortRidge = 16;           // an ending whose ridge ends within this is a fragment
inline constexpr int kSpurLength = 14;           // ending-to-bifurcation spurs shorter than this are removed
inline constexpr int kBridgeLength = 12;         // bifurcation-to-bifurcation links shorter than this
inline constexpr double kBreakDistance = 16.0;   // facing endings nearer than this are one broken ridge
inline constexpr double kBreakAngle = kPi / 4;   // "facing": directions within this of opposite
inline constexpr double kClusterRadius = 16.0;   // more than kClusterMax others within this: noise
inline constexpr int kClusterMax = 3;
inline constexpr double kMinCoherence = 0.1;  // minutiae where the orientation is this unclear are dropped
// ... and those whose coherence is below this fraction of the print's median (over the mask): what
// counts as unclear depends on the sensor and the skin, so the floor follows the print (tuned,
// BENCHMARKS.md "Seventh session": 0.15 / 0.175 / 0.2 / 0.225 / 0.25 / 0.275 / 0.3 gave mean EER
// 2.89 / 2.82 / 2.60 / 2.61 / 2.71 / 2.78 / 3.05%, none 2.85%; an absolute floor of 0.15 / 0.2
// instead gave 2.88 / 3.18%, DB4_B losing true minutiae near cores and deltas).
inline constexpr double kMinRelativeCoherence = 0.2;
inline constexpr int kMaxMinutiae = 120;      // keep the best of any more (a rolled print has ~100)

// --- Quality -----------------------------------------------------------------------------------
inline constexpr double kQualityClearCoherence = 0.4;  // clear ridges 0.6-0.8, noise below 0.3 (dev data)
inline constexpr double kQualityHalfClearArea = 20000;  // clear pixels (at 500 ppi) that score 50
// Fewer minutiae than this scale the score down in proportion: a small or dry capture with few
// minutiae fails more often than its clear area says (tuned, BENCHMARKS.md "Sixth session").
inline constexpr double kQualityFullMinutiae = 25;

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
// and 22.5 degrees absorb the skin distortion of FVC2002 between nearby minutiae). The alignments
// tried are those of the best pairs by local similarity (20; 5 of the relaxed order before).
inline constexpr int kConsolidationAnchors = 20;
// Agreements that are not evidence: the anchor's own (it agrees by construction) and one more,
// the chance agreement that the best of kConsolidationAnchors alignments finds on any pair of prints.
// The agreeing share is then counted against the minutiae in the overlap, never fewer than
// kConsolidationMinOverlap, so that a sliver of overlap with two or three chance agreements cannot
// score as a full match. Tuned together (BENCHMARKS.md "Seventh session"): discounting 2 with a
// floor of 3-8 gave mean EER 2.60-2.75% (7: 2.62%), discounting 1 with a floor of 10 2.85%.
inline constexpr int kConsolidationDiscount = 2;
inline constexpr int kConsolidationMinOverlap = 7;
inline constexpr double kConsolidationDistance = 15;
inline constexpr double kConsolidationAngle = kPi / 8;

// --- Synthetic templates (synthetic.h), fitted to ExtractMinutiae on FVC2002 DB1_B..DB4_B --------
// (doc/finger-synthetic.md compares the resulting statistics with the real ones.)
inline constexpr int kSynthWidth = 400, kSynthHeight = 500;  // canvas of every synthetic template
inline constexpr double kSynthPrintA = 125, kSynthPrintASd = 12;  // finger ellipse half-width
inline constexpr double kSynthPrintB = 175, kSynthPrintBSd = 18;  // half-height
inline constexpr double kSynthCountMean = 47, kSynthCountSd = 17;  // minutiae on the whole finger
inline constexpr int kSynthCountMin = 14, kSynthCountMax = 150;
inline constexpr double kSynthHardCore = 6;    // no two minutiae nearer (pixels)
inline constexpr double kSynthSoftCore = 18;   // below this a candidate is accepted with prob. (d/18)^2
inline constexpr double kSynthBifurcationShare = 0.33;
inline constexpr double kSynthDirectionNoise = 0.08;  // radians, against the orientation field
// Near minutiae often point the same way (a ridge ending beside a bifurcation): with this
// probability a minutia takes the sense of its nearest neighbour within 30 pixels.
inline constexpr double kSynthSenseAgreement = 0.25;
inline constexpr double kSynthQualityMean = 53, kSynthQualitySd = 21;
inline constexpr double kSynthLoopShare = 0.6, kSynthArchShare = 0.06;  // the rest: whorls
// One capture: the window the sensor sees, the pose, the skin's elastic distortion and the noise.
inline constexpr double kSynthWindowA = 116, kSynthWindowB = 162;  // half-axes of the captured area
inline constexpr double kSynthWindowShift = 28;                   // sd of its centre (pixels)
inline constexpr double kSynthRotation = 0.35;                    // uniform +- (radians)
inline constexpr double kSynthTranslation = 20;                   // sd (pixels)
inline constexpr int kSynthDistortionCentres = 4;
inline constexpr double kSynthDistortionWidth = 70;  // Gaussian radius of each displacement (pixels)
inline constexpr double kSynthDistortion = 5;        // sd of each centre's displacement (pixels)
// Captures differ in how hard the finger was pressed: the distortion and the miss rate are scaled
// per impression by a factor uniform in [kSynthSeverityMin, kSynthSeverityMax].
inline constexpr double kSynthSeverityMin = 0.3, kSynthSeverityMax = 1.7;
inline constexpr double kSynthPositionNoise = 1.5, kSynthAngleNoise = 0.07;
inline constexpr double kSynthMissingBase = 0.08, kSynthMissingLowQuality = 0.25;  // p = base + lq*(1-q)
inline constexpr double kSynthSpuriousShare = 0.12;  // Poisson mean, as a share of the kept minutiae
inline constexpr double kSynthTypeFlip = 0.1;
inline constexpr double kSynthTemplateQualityMean = 72, kSynthTemplateQualitySd = 22;

// --- Coarse stage of 1:N (gallery.h), chosen on FVC2002 DB1_B..DB4_B by where the first mate ranks
// (`idreg eval finger --identify`; doc/finger-gallery.md lists the variants measured) ------------
inline constexpr int kCoarseCells = 8;            // spatial cells per side: each merges 2 x 2 cylinder cells
inline constexpr int kCoarseDirectionGate = 64;   // of 256 steps: 90 degrees, as delta_theta
// A coarse cell is valid when at least this many of its 4 cylinder cells are; its bit is the
// majority of the valid cells' bits (ties set).
inline constexpr int kCoarseMinValidCells = 2;
// The score: the mean of the best n_P per-probe-cylinder similarities, n_P from the minutia counts
// as in MCC's LSS (kMinPairs..kMaxPairs above); reported in millionths.
inline constexpr double kCoarseScoreScale = 1e6;
// Probe cylinders scanned: the ones with the most valid coarse cells (the best placed within the
// print); n_P still comes from the probe's full count. 24 (3 blocks of 8) scans 1.5x faster than
// all (~35) and keeps rank-1 at a 20% shortlist equal to exhaustive on DB1_B..DB4_B; 16 lost 1.25
// points on DB3_B (BENCHMARKS.md, "fingerspeed").
inline constexpr int kCoarseProbeCylinders = 24;
// Candidate cylinders compared: a stored template's 16 with the most valid coarse cells (chosen at
// scan time; all when it has fewer), and n_P follows from that count as if the template had only
// those. Halves the pairs of a typical template (~32 cylinders): 1.5x faster scan, and on 200,000
// synthetic templates the mate ranked first for 54 of 100 probes (51 with all), in the top 200 for
// 84 (82) (BENCHMARKS.md, "Fifth session").
inline constexpr int kCoarseGalleryCylinders = 16;
// Large galleries are scanned twice: a prefilter scanning only the probe's 8 best-placed cylinders
// (one block of 8: ~1.7x faster than 24) keeps the best 1% of the gallery (at least 10 times the
// shortlist), and the score above ranks only those. On 200,000 synthetic templates the mate stayed
// in the kept 1% for 89 of 100 probes and the final coarse rank put it first for 64 (54 without the
// prefilter), in the top 200 for 85 (84) (BENCHMARKS.md, "Fifth session"). Only galleries of at
// least kCoarsePrefilterMinTemplates use it (it is there for speed at scale; FVC2002's 80 images and
// the tests see only the score above).
inline constexpr int kCoarsePrefilterProbeCylinders = 8;
inline constexpr double kCoarsePrefilterShare = 0.01;
inline constexpr int kCoarsePrefilterShortlists = 10;
inline constexpr size_t kCoarsePrefilterMinTemplates = 100000;

}  // namespace idreg::finger::params

#endif  // IDREG_SRC_FINGER_PARAMETERS_H_
