/* SPDX-License-Identifier: BSD-2-Clause */
/* PCI expansion ROM image chains: 55AA header, PCIR, NVIDIA NPDE, EFI header.
 * Layouts: PCI Firmware Spec 3.0 sec. 5.1 (header, PCIR table 5-2), UEFI 2.10
 * sec. 14.4.2 (EFI_PCI_EXPANSION_ROM_HEADER), NPDE per Linux
 * Documentation/gpu/nova/core/vbios.rst and nouveau bios/image.c. */
#include "optionrom.h"

#include <stdio.h>
#include <string.h>

#include "layout/pci.h"
#include "walk.h"

const char *od_code_type_name(uint8_t t)
{
	switch (t) {
	case OD_CODE_X86: return "x86 legacy";
	case OD_CODE_OPENFW: return "Open Firmware";
	case OD_CODE_HPPA: return "HP PA RISC";
	case OD_CODE_EFI: return "EFI";
	case OD_CODE_NV_NBSI: return "NVIDIA NBSI";
	/* An NVIDIA extension image: FwSec from Turing on (Linux nova vbios.rst),
	 * already present on Kepler (K1000M, K2100M) with other contents. */
	case OD_CODE_NV_FWSEC: return "NVIDIA extension (0xE0)";
	}
	return "unknown";
}

const char *od_efi_machine_name(uint16_t m)
{
	switch (m) {
	case 0x014C: return "IA32";
	case 0x8664: return "X64";
	case 0xAA64: return "AArch64";
	case 0x0EBC: return "EBC";
	case 0x01C2: return "ARM";
	case 0x5064: return "RISC-V64";
	}
	return "unknown";
}

/* PCIR, PCI Firmware Spec 3.0 table 5-2 (offsets from the signature). */
static int parse_pcir(od_span img, uint16_t at, od_pcir *p, od_err *e)
{
	if (!od_match(img, at, "PCIR", 4)) {
		/* NVIDIA also uses NPDS / RGIS data signatures on some images. */
		if (!od_match(img, at, "NPDS", 4) && !od_match(img, at, "RGIS", 4))
			return od_fail(e, OD_E_FORMAT, img.off + at, "no PCIR signature at PCIR pointer 0x%x", at);
	}
	od_pcir_hdr h = { 0 };
	OD_TRY(od_pcir_hdr_read_n(img, at, &h, OD_PCIR_V2_SIZE, e));
	if (h.revision >= 3 && h.length >= od_pcir_hdr_SIZE)
		OD_TRY(od_pcir_hdr_read(img, at, &h, e));
	p->off = at;
	p->vendor = h.vendor;
	p->device = h.device;
	p->devlist_ptr = h.devlist_ptr;
	p->length = h.length;
	p->revision = h.revision;
	/* Stored prog-if, sub-class, base-class: byte order gives base << 16. */
	p->class_code = h.class_code;
	p->image_len512 = h.image_len512;
	p->code_rev = h.code_rev;
	p->code_type = h.code_type;
	p->indicator = h.indicator;
	p->max_runtime512 = h.max_runtime512;
	p->config_util_ptr = h.config_util_ptr;
	p->clp_ptr = h.clp_ptr;
	return OD_OK;
}

/* NPDE follows PCIR, aligned up to 16 bytes (nouveau nvbios_imagen). */
static void parse_npde(od_span img, const od_pcir *p, od_npde *n)
{
	memset(n, 0, sizeof(*n));
	size_t at = ((size_t)p->off + p->length + 0xF) & ~(size_t)0xF;
	od_npde_hdr h = { 0 };
	if (!od_match(img, at, "NPDE", 4) || od_npde_hdr_read_n(img, at, &h, OD_OFF(od_npde_hdr, flags), NULL))
		return;
	if (h.length >= od_npde_hdr_SIZE && od_npde_hdr_read(img, at, &h, NULL))
		h.flags = 0; /* Length covers Flags but the image ends first */
	n->revision = h.revision;
	n->length = h.length;
	n->image_len512 = h.image_len512;
	n->indicator = h.indicator;
	n->flags = h.flags;
	n->off = (uint32_t)at;
	n->present = true;
}

/* EFI_PCI_EXPANSION_ROM_HEADER, UEFI 2.10 sec. 14.4.2. */
static void parse_efi(od_span img, od_efi_hdr *h)
{
	od_efi_rom r;
	memset(h, 0, sizeof(*h));
	if (od_efi_rom_read(img, 0, &r, NULL) || r.efi_signature != OD_EFI_ROM_SIGNATURE)
		return;
	h->init_size512 = r.init_size512;
	h->subsystem = r.subsystem;
	h->machine = r.machine;
	h->compression = r.compression;
	h->image_off = r.image_off;
	h->present = true;
}

/* NVIDIA marks images after the first with "VN" (4E56) or 77 BB instead of
 * 55 AA (nouveau bios/image.c); the PCIR pointer is at 0x18 in all three. */
static bool image_sig(od_span rest, bool first)
{
	if (od_match(rest, 0, "\x55\xAA", 2))
		return true;
	return !first && (od_match(rest, 0, "VN", 2) || od_match(rest, 0, "\x77\xBB", 2));
}

static int parse_image(od_span rest, bool first, od_rom_image *im, od_err *e)
{
	od_rom_hdr h;
	if (!image_sig(rest, first))
		return od_fail(e, OD_E_FORMAT, rest.off, "no 55 AA ROM signature");
	OD_TRY(od_rom_hdr_read(rest, 0, &h, e));
	if (h.pcir_ptr < od_rom_hdr_SIZE)
		return od_fail(e, OD_E_FORMAT, rest.off + OD_OFF(od_rom_hdr, pcir_ptr), "PCIR pointer 0x%x inside the ROM header",
			       h.pcir_ptr);
	im->init_size512 = h.init_size512;
	OD_TRY(parse_pcir(rest, h.pcir_ptr, &im->pcir, e));
	parse_npde(rest, &im->pcir, &im->npde);
	parse_efi(rest, &im->efi);
	uint16_t units = im->pcir.image_len512;
	im->last = (im->pcir.indicator & 0x80) != 0;
	if (im->npde.present) {
		/* NPDE overrides PCIR: on newer cards PCIR says "last" after the
		 * legacy image while NPDE says the EFI image follows. */
		if (im->npde.image_len512)
			units = im->npde.image_len512;
		im->last = (im->npde.indicator & 0x80) != 0;
	}
	if (units == 0)
		return od_fail(e, OD_E_LOOP, rest.off + im->pcir.off + 0x10, "image length 0 (chain cannot advance)");
	im->len = (uint32_t)units * 512u;
	im->truncated = im->len > rest.len;
	im->checksum_applies = im->pcir.code_type == OD_CODE_X86 &&
			       !(im->npde.present && (im->npde.flags & 0x04));
	if (im->checksum_applies && !im->truncated) {
		od_span body;
		im->checksum_ok = !od_sub(rest, 0, im->len, &body, NULL) && od_sum8(body) == 0;
	}
	return OD_OK;
}

int od_rom_parse(od_span s, od_rom *out, od_err *e)
{
	memset(out, 0, sizeof(*out));
	size_t at = 0;
	for (;;) {
		od_span rest;
		OD_TRY(od_tail(s, at, &rest, e));
		od_rom_image *im = &out->img[out->nimages];
		od_err sub;
		od_err_clear(&sub);
		int rc = parse_image(rest, out->nimages == 0, im, &sub);
		if (rc) {
			if (out->nimages == 0) {
				*e = sub;
				return od_err_prefix(e, "ROM image 1");
			}
			/* A damaged image after a good one ends the chain. */
			out->chain_errors++;
			break;
		}
		im->off = at;
		if (out->nimages == 0 && im->truncated) {
			return od_fail(e, OD_E_TRUNC, s.off, "ROM image 1 claims %u bytes, only %zu present", im->len,
				       s.len);
		}
		out->nimages++;
		if (im->truncated) {
			out->chain_errors++;
			out->total_len = s.len;
			break;
		}
		at += im->len;
		out->total_len = at;
		if (im->last)
			break;
		if (out->nimages == OD_ROM_MAX_IMAGES) {
			out->chain_errors++;
			break;
		}
		if (at >= s.len) {
			/* "Not last" but nothing follows: a cut dump. */
			out->chain_errors++;
			break;
		}
	}
	out->trailing = s.len - out->total_len;
	for (size_t i = out->total_len; i < s.len; i++) {
		if (s.p[i] != 0x00 && s.p[i] != 0xFF) {
			out->trailing_nonblank = true;
			break;
		}
	}
	return OD_OK;
}

/* --- registry handler --- */

static int rom_probe(od_span s)
{
	uint16_t ptr;
	if (!od_match(s, 0, "\x55\xAA", 2) || od_u16(s, OD_OFF(od_rom_hdr, pcir_ptr), &ptr, NULL))
		return 0;
	return od_match(s, ptr, "PCIR", 4) ? 90 : 0;
}

static int rom_walk(od_ctx *c, od_span s, od_err *e)
{
	od_rom rom;
	OD_TRY(od_rom_parse(s, &rom, e));
	od_span body;
	OD_TRY(od_sub(s, 0, rom.total_len, &body, e));
	OD_TRY(od_report_rom(c, body, false, e, "ROM %04x:%04x", rom.img[0].pcir.vendor, rom.img[0].pcir.device));
	if (rom.chain_errors) {
		/* A cut or broken chain (an EFI GOP cut short means a guest with
		 * no display) is reported, and marked so that nothing stores or
		 * exports it as a VBIOS without being asked (--keep-damaged). */
		od_hit *h = &c->hits[c->nhits - 1];
		h->damaged = true;
		const od_rom_image *last = &rom.img[rom.nimages - 1];
		od_diag_fail(c, false, OD_E_TRUNC, s.off + last->off,
			     last->truncated ? "ROM %04x:%04x: image %u claims 0x%x bytes, only 0x%llx present: the ROM is cut"
					     : "ROM %04x:%04x: image chain broken after image %u (claimed 0x%x bytes)",
			     rom.img[0].pcir.vendor, rom.img[0].pcir.device, rom.nimages, last->len,
			     (unsigned long long)(s.len - last->off));
		snprintf(h->node->info, sizeof(h->node->info), "DAMAGED: chain cut or broken");
	}
	return OD_OK;
}

OD_FORMAT(optionrom, "PCI option ROM", rom_probe, rom_walk, 0);
