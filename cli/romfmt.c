/* SPDX-License-Identifier: BSD-2-Clause */
/* Shared ROM description for info/scan/show: rom-parser's lines plus checks,
 * EFI details, NVIDIA facts and PCI names. Text and JSON carry the same facts;
 * the JSON keys are the contract the integration tests read. */
#include <string.h>

#include "cli.h"
#include "nvidia.h"

static const char *efi_subsystem_name(uint16_t s)
{
	switch (s) {
	case 0x0A: return "application";
	case 0x0B: return "boot service driver";
	case 0x0C: return "runtime driver";
	}
	return "unknown";
}

/* What looks odd but is reported as the ROM says (issue 2: Intel ROM says
 * 0106 for a 0166 GPU; the same 1c8c ROM exists as class 0300 and 0302). */
/* Turing (TU10x, device IDs 0x1e00 and up) is where NVIDIA's 0xE0 images
 * became FwSec; earlier cards (Kepler K1000M/K2100M) carry 0xE0 images too. */
static bool turing_or_later(uint16_t device)
{
	return device >= 0x1e00;
}

static void oddities(const od_rom *r, char *buf, size_t n)
{
	buf[0] = 0;
	size_t used = 0;
	const od_pcir *p = &r->img[0].pcir;
#define ADD(...) used += (size_t)snprintf(buf + used, used < n ? n - used : 0, __VA_ARGS__)
	if ((p->class_code >> 16) != 0x03 && p->vendor == 0x10de)
		ADD("NVIDIA ROM with non-display class %06x; ", p->class_code);
	for (unsigned i = 1; i < r->nimages; i++)
		if (r->img[i].pcir.vendor != p->vendor || r->img[i].pcir.device != p->device)
			ADD("image %u has IDs %04x:%04x; ", i + 1, r->img[i].pcir.vendor, r->img[i].pcir.device);
	if (r->chain_errors)
		ADD("%u chain problem(s): cut or damaged image after the last good one; ", r->chain_errors);
	if (r->trailing_nonblank)
		ADD("%zu bytes after the chain are not blank; ", r->trailing);
#undef ADD
	if (used >= 2 && used < n)
		buf[used - 2] = 0;
}

static void print_image(FILE *f, const od_rom_image *im, const char *in)
{
	fprintf(f, "%sValid ROM signature found @%llxh, PCIR offset %xh\n", in, (unsigned long long)im->off,
		im->pcir.off);
	fprintf(f, "%s\tPCIR: type %u (%s), vendor: %04x, device: %04x, class: %06x\n", in, im->pcir.code_type,
		od_code_type_name(im->pcir.code_type), im->pcir.vendor, im->pcir.device, im->pcir.class_code);
	fprintf(f, "%s\tPCIR: revision %u, vendor revision: %x\n", in, im->pcir.revision, im->pcir.code_rev);
	fprintf(f, "%s\tLength: %u bytes (0x%x)%s", in, im->len, im->len, im->truncated ? ", TRUNCATED" : "");
	if (im->checksum_applies && !im->truncated)
		fprintf(f, ", checksum %s", im->checksum_ok ? "ok" : "BAD");
	fputc('\n', f);
	if (im->npde.present)
		fprintf(f, "%s\tNPDE: revision %x, image length %u x 512, %s\n", in, im->npde.revision,
			im->npde.image_len512, (im->npde.indicator & 0x80) ? "last" : "more follow");
	if (im->efi.present)
		fprintf(f, "%s\tEFI: %s, machine %04x (%s), %s, image offset %xh\n", in,
			efi_subsystem_name(im->efi.subsystem), im->efi.machine, od_efi_machine_name(im->efi.machine),
			im->efi.compression == 0 ? "uncompressed" :
			im->efi.compression == 1 ? "EFI compressed" : "unknown compression",
			im->efi.image_off);
	if (im->last)
		fprintf(f, "%s\tLast image\n", in);
}

void od_rom_print_text(FILE *f, od_span rom, const char *in)
{
	od_rom r;
	od_err e;
	od_err_clear(&e);
	if (od_rom_parse(rom, &r, &e)) {
		char msg[OD_ERR_PATH_MAX + OD_ERR_MSG_MAX];
		fprintf(f, "%snot a valid option ROM: %s\n", in, od_err_str(&e, msg, sizeof(msg)));
		return;
	}
	for (unsigned i = 0; i < r.nimages; i++)
		print_image(f, &r.img[i], in);
	od_vbios_facts nv;
	if (od_nv_facts(rom, &r, &nv, &e) == OD_OK) {
		char vn[128], dn[160];
		const od_pcir *p = &r.img[0].pcir;
		if (od_pci_name(p->vendor, p->device, vn, sizeof(vn), dn, sizeof(dn)))
			fprintf(f, "%sDevice: %s %s\n", in, vn, dn[0] ? dn : "(device not in pci.ids)");
		if (p->vendor == 0x10de) {
			fprintf(f, "%sNVIDIA: version %s, BIT %s", in, nv.version[0] ? nv.version : "unknown",
				nv.has_bit ? "found" : "not found");
			if (nv.has_bit)
				fprintf(f, " @%xh", nv.bit_off);
			if (nv.has_subsys)
				fprintf(f, ", subsystem %04x:%04x", nv.sub_vendor, nv.sub_device);
			else
				fprintf(f, ", subsystem IDs not in ROM");
			fprintf(f, ", EFI GOP %s%s\n", nv.has_efi ? "present" : "absent",
				!nv.has_fwsec ? "" : turing_or_later(p->device) ? ", FwSec (0xE0) image present"
									 : ", 0xE0 extension image present (not FwSec: that is Turing and later)");
		}
	}
	char odd[400];
	oddities(&r, odd, sizeof(odd));
	if (odd[0])
		fprintf(f, "%sNote: %s\n", in, odd);
}

static void json_image(od_json *j, const od_rom_image *im)
{
	od_json_obj_begin(j, NULL);
	od_json_int(j, "offset", (long long)im->off);
	od_json_int(j, "pcir_offset", im->pcir.off);
	od_json_int(j, "code_type", im->pcir.code_type);
	od_json_str(j, "code_type_name", od_code_type_name(im->pcir.code_type));
	od_json_hex(j, "vendor", im->pcir.vendor, 4);
	od_json_hex(j, "device", im->pcir.device, 4);
	od_json_hex(j, "class", im->pcir.class_code, 6);
	od_json_int(j, "pcir_revision", im->pcir.revision);
	od_json_int(j, "code_revision", im->pcir.code_rev);
	od_json_int(j, "length", im->len);
	od_json_bool(j, "last", im->last);
	od_json_bool(j, "truncated", im->truncated);
	if (im->checksum_applies && !im->truncated)
		od_json_bool(j, "checksum_ok", im->checksum_ok);
	if (im->npde.present) {
		od_json_obj_begin(j, "npde");
		od_json_int(j, "revision", im->npde.revision);
		od_json_int(j, "image_len512", im->npde.image_len512);
		od_json_bool(j, "last", (im->npde.indicator & 0x80) != 0);
		od_json_obj_end(j);
	}
	if (im->efi.present) {
		od_json_obj_begin(j, "efi");
		od_json_int(j, "subsystem", im->efi.subsystem);
		od_json_hex(j, "machine", im->efi.machine, 4);
		od_json_str(j, "machine_name", od_efi_machine_name(im->efi.machine));
		od_json_int(j, "compression", im->efi.compression);
		od_json_int(j, "image_offset", im->efi.image_off);
		od_json_obj_end(j);
	}
	od_json_obj_end(j);
}

void od_rom_print_json(od_json *j, const char *key, od_span rom)
{
	od_rom r;
	od_err e;
	od_err_clear(&e);
	od_json_obj_begin(j, key);
	if (od_rom_parse(rom, &r, &e)) {
		char msg[OD_ERR_PATH_MAX + OD_ERR_MSG_MAX];
		od_json_str(j, "error", od_err_str(&e, msg, sizeof(msg)));
		od_json_obj_end(j);
		return;
	}
	od_json_int(j, "length", (long long)r.total_len);
	od_json_arr_begin(j, "images");
	for (unsigned i = 0; i < r.nimages; i++)
		json_image(j, &r.img[i]);
	od_json_arr_end(j);
	od_vbios_facts nv;
	if (od_nv_facts(rom, &r, &nv, &e) == OD_OK) {
		od_json_bool(j, "efi_image", nv.has_efi);
		if (r.img[0].pcir.vendor == 0x10de) {
			od_json_obj_begin(j, "nvidia");
			od_json_str(j, "version", nv.version[0] ? nv.version : NULL);
			if (nv.has_bit)
				od_json_int(j, "bit_offset", nv.bit_off);
			else
				od_json_str(j, "bit_offset", NULL);
			if (nv.has_subsys) {
				od_json_hex(j, "subsystem_vendor", nv.sub_vendor, 4);
				od_json_hex(j, "subsystem_device", nv.sub_device, 4);
			}
			od_json_bool(j, "fwsec", nv.has_fwsec && turing_or_later(r.img[0].pcir.device));
			od_json_bool(j, "ext_e0", nv.has_fwsec);
			od_json_obj_end(j);
		}
	}
	char vn[128], dn[160];
	if (od_pci_name(r.img[0].pcir.vendor, r.img[0].pcir.device, vn, sizeof(vn), dn, sizeof(dn))) {
		od_json_str(j, "vendor_name", vn);
		od_json_str(j, "device_name", dn[0] ? dn : NULL);
	}
	char odd[400];
	oddities(&r, odd, sizeof(odd));
	od_json_str(j, "notes", odd[0] ? odd : NULL);
	od_json_int(j, "chain_errors", r.chain_errors);
	od_json_obj_end(j);
}
