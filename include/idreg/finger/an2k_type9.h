// ANSI/NIST-ITL 1-2011 Type-9 minutiae records <-> FingerTemplate, through the Extended Feature
// Set (EFS) fields: 9.300 region of interest (ROI), 9.302 finger position, 9.331 minutiae. EFS
// measures in units of 10 micrometres relative to the ROI's top-left corner (9.300 gives the
// ROI's size and its offset in the image), y down, theta in degrees counter-clockwise; a ridge
// ending's theta runs up its ridge and a bifurcation's down the valley between its branches,
// which is the opposite of idreg's direction (minutia.h), so theta = idreg direction + 180
// degrees. See doc/an2k.md.
//
// The legacy "standard format" fields (9.005-9.012) and the INCITS 378 block (9.126-9.150) are
// not read: their coordinate conventions cannot be checked against any sample here, and a
// mirrored template would match nothing. Such records are refused with that reason.
#ifndef IDREG_FINGER_AN2K_TYPE9_H_
#define IDREG_FINGER_AN2K_TYPE9_H_

#include "idreg/core/result.h"
#include "idreg/finger/minutia.h"
#include "idreg/interchange/an2k.h"

namespace idreg::finger {

struct Type9Minutiae {
  FingerTemplate tmpl;  // at 500 ppi, image coordinates (ROI offset added)
  int position = 0;     // finger position code from 9.302 (0 when absent)
};

// InvalidArgument naming the field (and the minutia, 1-based) that is missing or malformed.
Result<Type9Minutiae> Type9ToTemplate(const An2kRecord& record);

// A Type-9 record with EFS fields holding the template's minutiae (converted to 500 ppi first
// when the template states another resolution): 9.001 LEN (the writer computes it), 9.002 IDC,
// 9.003 impression type, 9.004 "U", 9.300 ROI (the template's size), 9.302 position (when
// non-zero), 9.331 minutiae.
Result<An2kRecord> TemplateToType9(const FingerTemplate& tmpl, int idc, int position, int impression);

}  // namespace idreg::finger

#endif  // IDREG_FINGER_AN2K_TYPE9_H_
