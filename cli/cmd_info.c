/* optimus-db info: what rom-parser prints, plus checks. */
#include <string.h>

#include "cli.h"
#include "optionrom.h"

static int info_one(const char *path)
{
	od_file f;
	od_err e;
	od_err_clear(&e);
	if (od_file_load(path, &f, &e)) {
		od_print_err(path, &e);
		return od_exit_for(e.code);
	}
	od_rom rom;
	int rc = od_rom_parse(od_span_make(f.data, f.len, 0), &rom, &e);
	if (rc) {
		od_err_prefix(&e, "%s", f.name);
		od_print_err(path, &e);
		od_file_free(&f);
		return od_exit_for(rc);
	}
	printf("%s:\n", path);
	for (unsigned i = 0; i < rom.nimages; i++) {
		const od_rom_image *im = &rom.img[i];
		printf("  Valid ROM signature found @%llxh, PCIR offset %xh\n", (unsigned long long)im->off, im->pcir.off);
		printf("  PCIR: type %u, vendor: %04x, device: %04x, class: %06x\n", im->pcir.code_type,
		       im->pcir.vendor, im->pcir.device, im->pcir.class_code);
		printf("  PCIR: revision %u, vendor revision: %x\n", im->pcir.revision, im->pcir.code_rev);
		if (im->last)
			printf("  Last image\n");
	}
	od_file_free(&f);
	return OD_EXIT_OK;
}

int od_cmd_info(int argc, char **argv)
{
	int worst = OD_EXIT_OK;
	for (int i = 1; i < argc; i++) {
		int rc = info_one(argv[i]);
		if (rc > worst)
			worst = rc;
	}
	return worst;
}
