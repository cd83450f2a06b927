#include <check.h>
#include "llmassert.h"
#include "support/testutil.h"
START_TEST(t){}
END_TEST
int main(void){Suite*s=suite_create("m");TCase*tc=tcase_create("x");tcase_add_test(tc,t);suite_add_tcase(s,tc);return tu_run_suite(s);}
