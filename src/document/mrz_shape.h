// The zone's shape: how many lines, how long, which characters, in which order. Deciding the
// format comes first because every field position depends on it. Private to src/document.
#ifndef IDREG_SRC_DOCUMENT_MRZ_SHAPE_H_
#define IDREG_SRC_DOCUMENT_MRZ_SHAPE_H_

#include <string>
#include <string_view>
#include <vector>

#include "idreg/core/result.h"
#include "idreg/document/mrz.h"

namespace idreg {

// Splits at '|' and '\n'. One final '\n' ends the last line rather than starting an empty one.
std::vector<std::string> SplitMrzText(std::string_view text);

// The format of a zone whose shape is sound, or InvalidArgument naming the line and column at
// fault. Line count, line length and the first character decide the format.
Result<MrzFormat> ClassifyMrz(const std::vector<std::string>& lines);

// A character for an error message: 'A', or "byte 0xC3" for anything unprintable, so that
// messages stay ASCII (and valid UTF-8 in JSON) whatever the input.
std::string DescribeMrzChar(char c);

}  // namespace idreg

#endif  // IDREG_SRC_DOCUMENT_MRZ_SHAPE_H_
