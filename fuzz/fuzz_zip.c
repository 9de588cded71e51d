/* libFuzzer target: the zip handler (see handler.h). */
#include "handler.h"

OD_FUZZ_HANDLER("zip")
