#ifndef SWIFT_BPE_CPCRE2_SHIM_H
#define SWIFT_BPE_CPCRE2_SHIM_H

// Only the 8-bit code unit width is used: every subject is UTF-8 bytes.
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

// Macros that Swift cannot import (casts and the unset-offset marker) as plain values.
static inline size_t cpcre2_unset(void) { return PCRE2_UNSET; }
static inline size_t cpcre2_zero_terminated(void) { return PCRE2_ZERO_TERMINATED; }

#endif
