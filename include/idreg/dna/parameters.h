// Tuning constants of the DNA modality, in one place, each with where its value comes from.
#ifndef IDREG_DNA_PARAMETERS_H_
#define IDREG_DNA_PARAMETERS_H_

namespace idreg::dna {

// Minimum allele frequency 5/(2N): NRC II (1996), p. 148, for alleles rare or unseen in a
// database of N people.
inline constexpr double kMinAlleleCountNumerator = 5.0;

// A frequency table is rejected when a locus's frequencies do not sum to 1 within this; the
// NIST 1036 table rounds to 6 decimals (sums within 1e-5), the FBI tables are exact.
inline constexpr double kFrequencySumTolerance = 0.01;

// Default theta (F_ST) for random match probabilities: NRC II recommendation 4.1 suggests 0.01
// for general populations (0.03 for small, isolated ones). Kinship uses 0 unless told.
inline constexpr double kDefaultTheta = 0.01;
inline constexpr double kMaxTheta = 0.25;

// Per-locus, per-meiosis STR mutation rate for the parent-child model and the simulation:
// the order of the averages reported for the CODIS loci (about 1e-3 to 4e-3; AABB Annual
// Report 2008, and Ge et al. 2009); 0.002 is their middle.
inline constexpr double kMutationRate = 0.002;

// Given a one-step mutation, the chance it gains vs loses a repeat is taken as 1/2 each; steps of
// more than one repeat are ten times rarer per extra step (Ge et al. 2009 saw ~95% one-step).
inline constexpr double kMultiStepFactor = 0.1;

// Minimum number of loci compared for a search hit. NDIS requires at least 7 of the original
// 13 core loci for a moderate-stringency offender search; 8 leaves a margin on partial profiles.
inline constexpr int kDefaultMinLoci = 8;

// Degradation applied to simulated copies by `idreg eval dna`: per-allele drop-out of a
// heterozygote (low-template casework sees 5-20%) and per-locus loss (a failed locus).
inline constexpr double kEvalDropout = 0.05;
inline constexpr double kEvalMissingLocus = 0.10;
inline constexpr int kEvalFamilies = 200;

}  // namespace idreg::dna

#endif  // IDREG_DNA_PARAMETERS_H_
