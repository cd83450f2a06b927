#!/bin/sh
# Print the library's export list: every llm_* name that a public header
# declares as a function. Internal functions (declared only under src/) stay
# hidden even though they share the llm_ prefix. Names of static inline
# helpers are listed too; the linker ignores names the library lacks.
cat "$@" | tr -s ' \t' ' ' | grep -o '\bllm_[a-z0-9_]* *(' | sed 's/ *($//' | sort -u
