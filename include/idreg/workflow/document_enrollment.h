// Turning a read travel document into the parts of an enrollment: the document record and the
// biographic attributes it proves, each carrying the document as its provenance.
#ifndef IDREG_WORKFLOW_DOCUMENT_ENROLLMENT_H_
#define IDREG_WORKFLOW_DOCUMENT_ENROLLMENT_H_

#include "idreg/document/mrz.h"
#include "idreg/registry/profile.h"

namespace idreg {

// The document as the registry records it (format, state, number, expiry, the zone itself).
Document DocumentFromMrz(const Mrz& mrz);

// surname, given_names, birth_date, sex, nationality: empty values are left out.
std::vector<Attribute> AttributesFromMrz(const Mrz& mrz);

// Adds the document and its attributes to `e`.
void AddMrzToEnrollment(const Mrz& mrz, Enrollment& e);

}  // namespace idreg

#endif  // IDREG_WORKFLOW_DOCUMENT_ENROLLMENT_H_
