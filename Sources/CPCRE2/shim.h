#ifndef SWIFT_BPE_CPCRE2_SHIM_H
#define SWIFT_BPE_CPCRE2_SHIM_H

// Only the 8-bit code unit width is used: every subject is UTF-8 bytes.
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#endif
