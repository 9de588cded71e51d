/* Shared ROM description for info/scan/show. TEMPORARY minimal version: the
 * issue-2 work extends it with checksums, EFI details, NVIDIA facts, names. */
#include "cli.h"
#include "nvidia.h"

void od_rom_print_text(FILE *f, od_span rom, const char *indent)
{
	od_rom r;
	od_err e;
	if (od_rom_parse(rom, &r, &e)) {
		fprintf(f, "%snot a valid option ROM\n", indent);
		return;
	}
	for (unsigned i = 0; i < r.nimages; i++) {
		const od_rom_image *im = &r.img[i];
		fprintf(f, "%sValid ROM signature found @%llxh, PCIR offset %xh\n", indent,
			(unsigned long long)im->off, im->pcir.off);
		fprintf(f, "%sPCIR: type %u, vendor: %04x, device: %04x, class: %06x\n", indent,
			im->pcir.code_type, im->pcir.vendor, im->pcir.device, im->pcir.class_code);
	}
}

void od_rom_print_json(od_json *j, const char *key, od_span rom)
{
	od_rom r;
	od_err e;
	od_json_obj_begin(j, key);
	if (!od_rom_parse(rom, &r, &e)) {
		od_json_arr_begin(j, "images");
		for (unsigned i = 0; i < r.nimages; i++) {
			od_json_obj_begin(j, NULL);
			od_json_int(j, "offset", (long long)r.img[i].off);
			od_json_hex(j, "vendor", r.img[i].pcir.vendor, 4);
			od_json_hex(j, "device", r.img[i].pcir.device, 4);
			od_json_obj_end(j);
		}
		od_json_arr_end(j);
	}
	od_json_obj_end(j);
}
