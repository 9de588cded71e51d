/* SPDX-License-Identifier: BSD-2-Clause */
/* A main() for the fuzz targets outside libFuzzer (the role of LLVM's
 * StandaloneFuzzTargetMain.c): every file named, or found in a folder named,
 * is fed once to LLVMFuzzerTestOneInput. The test suite links each
 * fuzz/fuzz_<target>.c with this and replays corpus/<target>/ and
 * corpus/regressions/ through the very harness that found them, in every
 * build (gcc release, ASan+UBSan), not only in the clang fuzz build. */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The file is read into a buffer of exactly its size, so ASan sees a read
 * one byte past the input, as under libFuzzer. */
static int replay_file(const char *path, off_t size)
{
	uint8_t *buf = malloc(size ? (size_t)size : 1);
	FILE *f = fopen(path, "rb");
	if (!buf || !f || fread(buf, 1, (size_t)size, f) != (size_t)size) {
		perror(path);
		free(buf);
		if (f)
			fclose(f);
		return -1;
	}
	fclose(f);
	LLVMFuzzerTestOneInput(buf, (size_t)size);
	free(buf);
	return 1;
}

/* Returns the inputs replayed under path, or -1 on an unreadable one. */
static int replay_path(const char *path)
{
	struct stat st;
	if (stat(path, &st) != 0) {
		perror(path);
		return -1;
	}
	if (!S_ISDIR(st.st_mode))
		return replay_file(path, st.st_size);
	DIR *d = opendir(path);
	if (!d) {
		perror(path);
		return -1;
	}
	int total = 0;
	struct dirent *de;
	while ((de = readdir(d))) {
		size_t l = strlen(de->d_name);
		if (de->d_name[0] == '.' || (l > 3 && !strcmp(de->d_name + l - 3, ".md")))
			continue;
		char p[4096];
		snprintf(p, sizeof(p), "%.2000s/%.1000s", path, de->d_name);
		int n = replay_path(p);
		if (n < 0) {
			total = -1;
			break;
		}
		total += n;
	}
	closedir(d);
	return total;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: %s SEED_DIR [FILE|DIR]...\n", argv[0]);
		return 2;
	}
	int total = 0;
	for (int i = 1; i < argc; i++) {
		int n = replay_path(argv[i]);
		if (n < 0)
			return 1;
		/* The target's own seed folder must not be empty: an empty one
		 * would make this test pass while replaying nothing. */
		if (i == 1 && n == 0) {
			fprintf(stderr, "%s: no inputs\n", argv[i]);
			return 1;
		}
		total += n;
	}
	printf("%s: %d inputs replayed, each ended cleanly\n", argv[0], total);
	return 0;
}
