/* Libraries loaded on first use (see dynlib.h). */
#include "core/dynlib.h"

#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

void *llm_dynlib_load(const char *soname, const char *package, const llm_dynsym *syms, size_t n,
                      char *err, size_t errlen)
{
    void *lib = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
    if (!lib) {
        const char *why = dlerror();
        snprintf(err, errlen, "cannot load %s (%s): install it (Debian: apt-get install %s)",
                 soname, why ? why : "not found", package);
        return NULL;
    }
    for (size_t i = 0; i < n; i++) {
        void *f = dlsym(lib, syms[i].name);
        if (!f) {
            snprintf(err, errlen, "%s has no %s", soname, syms[i].name);
            return NULL; /* stays loaded: unloading a half-used library is not safe */
        }
        memcpy(syms[i].slot, &f, sizeof f); /* object pointer to function pointer, as POSIX allows */
    }
    return lib;
}
