/* Internal: libraries loaded on first use instead of at program start.
 *
 * libcurl (with its TLS stack), libcrypto and libxml2 (with ICU and
 * libstdc++) cost milliseconds and megabytes to load and relocate, and most
 * runs of the CLI or of a test program never call them: scoring offline
 * metrics, reading datasets, writing reports. Each user binds the few
 * functions it calls, once, from a table. */
#ifndef LLM_CORE_DYNLIB_H
#define LLM_CORE_DYNLIB_H

#include <stddef.h>

/* One function (or data object) to look up: slot receives its address. */
typedef struct llm_dynsym {
    void *slot; /* address of a function pointer (or of a data pointer) */
    const char *name;
} llm_dynsym;

/* dlopen SONAME (RTLD_NOW | RTLD_LOCAL) and fill every slot of SYMS. On
 * failure writes why into ERR (naming the library, the missing symbol or
 * the Debian package in PACKAGE) and returns NULL; the library, once
 * loaded, is never unloaded. Not thread-safe: call it under pthread_once. */
void *llm_dynlib_load(const char *soname, const char *package, const llm_dynsym *syms, size_t n,
                      char *err, size_t errlen);

#endif
