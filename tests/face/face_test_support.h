// Shared helpers of the face tests: the installed networks (loaded once) and the golden data of
// face-api.js's own test suite in ../shared/data/face/faceapi-golden.
#ifndef IDREG_TESTS_FACE_FACE_TEST_SUPPORT_H_
#define IDREG_TESTS_FACE_FACE_TEST_SUPPORT_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "idreg/face/embedding_index.h"
#include "idreg/face/networks.h"

namespace idreg::face::testing {

// The networks from DefaultFaceModelsDir(), or null with `why` set (then the test skips).
std::shared_ptr<const FaceNetworks> Networks(std::string* why);

// Path of a file of ../shared/data/face (empty when it does not exist).
std::string SharedFaceFile(const std::string& relative);

std::vector<float> ReadFloatArray(const std::string& path);
std::vector<Point> ReadPoints(const std::string& path);

// n x dim values drawn from N(0, sigma^2), seeded: vectors for index tests.
std::vector<float> RandomVectors(size_t n, int dim, uint32_t seed, float sigma = 1);

// Descriptor-like vectors (n x dim): a common mean plus isotropic spread, so that two unrelated
// vectors lie about 0.83 apart (the impostor mean distance on bbt-crops), seeded.
std::vector<float> DescriptorLikeRows(size_t n, int dim, uint32_t seed);

// A mate of `row` of `rows` (dim wide): moved in a random direction by a genuine distance drawn
// from N(0.428, 0.071), the genuine distances of bbt-crops (idreg eval face --no-detect --scores).
std::vector<float> MateOf(const std::vector<float>& rows, size_t row, int dim, std::mt19937& rng);

// The int8 kernels this CPU runs (scalar always): every one is compared with the scalar one.
std::vector<IndexKernel> SupportedInt8Kernels();

}  // namespace idreg::face::testing

#endif  // IDREG_TESTS_FACE_FACE_TEST_SUPPORT_H_
