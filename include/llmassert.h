/*
 * llmassert.h: the one header users include.
 *
 * llmassert evaluates LLM features inside C unit-test suites: assertion macros
 * that record every score per test case, partitions (golden, regression,
 * adversarial, distribution), JUnit XML reports and a partition-aware gate.
 * Test-framework adapters live in their own headers and include this one:
 *
 *   #include <llmassert/check.h>    Check (libcheck)
 *   #include <llmassert/plain.h>    no framework: failures counted, reported at exit
 *
 * The LLM_ASSERT_* macros come with the adapter header (llmassert/assert.h is
 * included by each adapter after it sets the framework's failure hook).
 */
#ifndef LLMASSERT_H
#define LLMASSERT_H

#include "llmassert/common.h"
#include "llmassert/partition.h"
#include "llmassert/recorder.h"
#include "llmassert/adapter.h"
#include "llmassert/config.h"
#include "llmassert/cache.h"
#include "llmassert/provider.h"
#include "llmassert/stats.h"
#include "llmassert/assert_config.h"
#include "llmassert/semantic.h"
#include "llmassert/hallucination.h"
#include "llmassert/judge.h"
#include "llmassert/text.h"
#include "llmassert/metrics.h"
#include "llmassert/dataset.h"
#include "llmassert/cases.h"
#include "llmassert/constraints.h"
#include "llmassert/embed.h"
#include "llmassert/run.h"

#endif /* LLMASSERT_H */
