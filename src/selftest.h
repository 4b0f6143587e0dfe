/*
 * selftest.h - operators' checks of the language profiles after an install
 * or an image upgrade: list them with their toolchain versions and image
 * sizes, and judge each one's tiny self-test program.
 */
#ifndef SCRC_SELFTEST_H
#define SCRC_SELFTEST_H

#include "lang.h"

/*
 * Prints one line per profile: name, aliases, the first line its version
 * command prints (run in its build image, else its run image), the
 * image(s) and their size. Returns 0, or 1 when an image is missing or a
 * version command failed (the line says so).
 */
int	selftest_list(const struct lang_set *langs);

/*
 * Judges each profile's self_test program (or those named: names[0..n))
 * against one test that must come back unchanged, and prints one line per
 * language: status, the whole judging time, the program's run time, the
 * image. Returns 0 when all are OK, 1 otherwise (a profile without a
 * self_test program, or an unknown name, fails too).
 */
int	selftest_run(const struct lang_set *langs, char *const *names, size_t n);

#endif
