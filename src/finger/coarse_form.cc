// The persistent form of one template's coarse codes (gallery.h, doc/finger-gallery.md), stored by
// the registry beside the template so that a gallery's start-up parses the codes instead of
// building them (building is 98-99% of start-up). Little-endian:
//   "IDFC", version (1 byte, kCoarseFormVersion), 3 zero bytes, minutiae M of the template and
//   cylinders C kept (uint16 each); C x 96 bytes of codes (cell bits, then validity); C direction
//   bytes. Version 2 keeps the C <= 16 cylinders the gallery keeps (GalleryCoarseTemplate);
//   version 1 kept every cylinder and is refused (the caller rebuilds the codes).
// Nothing may follow. The minutia count lets a loader check that the form belongs to the template.
#include <string>

#include "finger/parameters.h"
#include "idreg/finger/gallery.h"

namespace idreg::finger {
namespace {

constexpr uint8_t kMagic[4] = {'I', 'D', 'F', 'C'};
constexpr size_t kHeader = 12;
constexpr size_t kCodeBytes = CoarseTemplate::kCodeWords * 8;
constexpr int kGalleryCylinders = params::kCoarseGalleryCylinders;

Status CoarseFormError(const std::string& what) { return Status::InvalidArgument("finger coarse form: " + what); }

}  // namespace

Bytes SerializeCoarse(const CoarseTemplate& all, size_t minutiae) {
  // Version 2 keeps only the cylinders a gallery keeps (GalleryCoarseTemplate); codes shorter than
  // their directions are padded first, so that the choice reads whole cylinders.
  CoarseTemplate whole = all;
  whole.codes.resize(whole.size() * CoarseTemplate::kCodeWords, 0);
  const CoarseTemplate coarse = GalleryCoarseTemplate(whole);
  const size_t c = coarse.size();
  Bytes b(kMagic, kMagic + 4);
  b.reserve(kHeader + c * (kCodeBytes + 1));
  b.push_back(kCoarseFormVersion);
  b.insert(b.end(), 3, 0);
  for (uint16_t v : {static_cast<uint16_t>(minutiae), static_cast<uint16_t>(c)}) {
    b.push_back(static_cast<uint8_t>(v));
    b.push_back(static_cast<uint8_t>(v >> 8));
  }
  for (size_t i = 0; i < c * CoarseTemplate::kCodeWords; ++i) {
    const uint64_t w = i < coarse.codes.size() ? coarse.codes[i] : 0;
    for (int k = 0; k < 8; ++k) b.push_back(static_cast<uint8_t>(w >> (8 * k)));
  }
  b.insert(b.end(), coarse.directions.begin(), coarse.directions.end());
  return b;
}

Result<ParsedCoarse> ParseCoarse(std::span<const uint8_t> bytes) {
  if (bytes.size() < kHeader) {
    return CoarseFormError("truncated: the header needs " + std::to_string(kHeader) + " bytes, " + std::to_string(bytes.size()) +
               " present");
  }
  if (!std::equal(kMagic, kMagic + 4, bytes.begin())) return CoarseFormError("no \"IDFC\" signature");
  if (bytes[4] != kCoarseFormVersion) {
    return CoarseFormError("version " + std::to_string(bytes[4]) + " is not the current one (" +
               std::to_string(kCoarseFormVersion) + "): the codes must be rebuilt");
  }
  if (bytes[5] || bytes[6] || bytes[7]) return CoarseFormError("reserved header bytes 5-7 are not zero");
  ParsedCoarse out;
  out.minutiae = static_cast<uint16_t>(bytes[8] | (bytes[9] << 8));
  const size_t c = static_cast<size_t>(bytes[10] | (bytes[11] << 8));
  if (out.minutiae > 255) return CoarseFormError("claims " + std::to_string(out.minutiae) + " minutiae (at most 255)");
  if (c > out.minutiae) {
    return CoarseFormError("has more cylinders (" + std::to_string(c) + ") than minutiae (" + std::to_string(out.minutiae) + ")");
  }
  if (c > static_cast<size_t>(kGalleryCylinders)) {
    return CoarseFormError("has " + std::to_string(c) + " cylinders, more than the " + std::to_string(kGalleryCylinders) +
                           " a gallery keeps");
  }
  const size_t expected = kHeader + c * (kCodeBytes + 1);
  if (bytes.size() != expected) {
    return CoarseFormError("size mismatch: " + std::to_string(c) + " cylinders need " + std::to_string(expected) +
               " bytes, the input has " + std::to_string(bytes.size()));
  }
  const uint8_t* p = bytes.data() + kHeader;
  out.coarse.codes.resize(c * CoarseTemplate::kCodeWords);
  for (uint64_t& w : out.coarse.codes) {
    w = 0;
    for (int k = 0; k < 8; ++k) w |= static_cast<uint64_t>(*p++) << (8 * k);
  }
  // The coarse kernel relies on a cell's bit being set only where the cell is valid.
  constexpr int half = CoarseTemplate::kCodeWords / 2;
  for (size_t i = 0; i < c; ++i) {
    const uint64_t* code = out.coarse.codes.data() + i * CoarseTemplate::kCodeWords;
    for (int w = 0; w < half; ++w) {
      if (code[w] & ~code[half + w]) return CoarseFormError("cylinder " + std::to_string(i) + " has cell bits set outside its valid cells");
    }
  }
  out.coarse.directions.assign(p, p + c);
  return out;
}

}  // namespace idreg::finger
