// A small XML reader for the subset interchange formats use: elements, attributes, text,
// character and the five predefined entity references, comments, CDATA, the XML declaration
// and processing instructions. No DTDs (a DOCTYPE is refused: it is how entity-expansion
// attacks arrive). Namespace prefixes are dropped from names. Errors give line and column.
#ifndef IDREG_SRC_INTERCHANGE_XML_READER_H_
#define IDREG_SRC_INTERCHANGE_XML_READER_H_

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "idreg/core/result.h"

namespace idreg::xml {

struct Element {
  std::string name;  // local name, prefix removed
  std::vector<std::pair<std::string, std::string>> attributes;
  std::string text;  // the concatenated character data directly inside this element
  std::vector<Element> children;
  int line = 0;

  // The first child with this local name, or nullptr.
  const Element* Child(std::string_view name) const;
  // The text of Child(name), or "".
  std::string ChildText(std::string_view name) const;
};

// Parses a document; its root element is returned.
Result<Element> Parse(std::string_view text);

// Escapes &, <, >, " for text and attribute values.
std::string Escape(std::string_view s);

}  // namespace idreg::xml

#endif  // IDREG_SRC_INTERCHANGE_XML_READER_H_
