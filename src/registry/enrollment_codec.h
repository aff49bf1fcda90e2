// The binary form of an Enrollment that waits in a review case: sealed as one payload, so the
// codec needs no escaping and no schema of its own. Layout (little-endian): "IDRENR2", then the
// attributes, documents, the encounter, the biometric records (each followed by its derived forms:
// kind, u32 version, payload) and the consents, each list a u32 count, each string a u32 length and
// its bytes. "IDRENR1" (records without derived forms) is still read. doc/review-queue.md.
#ifndef IDREG_SRC_REGISTRY_ENROLLMENT_CODEC_H_
#define IDREG_SRC_REGISTRY_ENROLLMENT_CODEC_H_

#include "idreg/core/bytes.h"
#include "idreg/core/result.h"
#include "idreg/registry/profile.h"

namespace idreg {

Bytes EncodeEnrollment(const Enrollment& e);
// Corruption naming what is malformed (a truncated field, a bad id, trailing bytes).
Result<Enrollment> DecodeEnrollment(const Bytes& data);

}  // namespace idreg

#endif  // IDREG_SRC_REGISTRY_ENROLLMENT_CODEC_H_
