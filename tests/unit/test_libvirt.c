/* SPDX-License-Identifier: BSD-2-Clause */
/* Reading the GPU's guest placement from libvirt domain XML, as virsh
 * dumpxml writes it (formatdomain.html), and the refusals. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "libvirt.h"
#include "ssdt.h"

static const char q35[] =
	"<domain type='kvm'>\n  <name>win10</name>\n  <os>\n    <type arch='x86_64' machine='pc-q35-7.2'>hvm</type>\n  </os>\n"
	"  <devices>\n    <controller type='pci' index='0' model='pcie-root'/>\n"
	"    <controller type='pci' index='1' model='pcie-root-port'>\n      <model name='pcie-root-port'/>\n"
	"      <target chassis='1' port='0x10'/>\n"
	"      <address type='pci' domain='0x0000' bus='0x00' slot='0x02' function='0x0' multifunction='on'/>\n"
	"    </controller>\n"
	"    <controller type='pci' index='6' model='pcie-root-port'>\n"
	"      <address type='pci' domain='0x0000' bus='0x00' slot='0x1c' function='0x0'/>\n    </controller>\n"
	"    <hostdev mode='subsystem' type='mdev' managed='no' model='vfio-pci'>\n"
	"      <source><address uuid='a297db4a-f4c2-11e6-90f6-d3b88d6c9525'/></source>\n    </hostdev>\n"
	"    <hostdev mode='subsystem' type='pci' managed='yes'>\n      <source>\n"
	"        <address domain='0x0000' bus='0x01' slot='0x00' function='0x0'/>\n      </source>\n"
	"      <rom file='/var/lib/libvirt/vbios.rom'/>\n"
	"      <address type='pci' domain='0x0000' bus='0x06' slot='0x00' function='0x0'/>\n    </hostdev>\n"
	"  </devices>\n</domain>\n";

Test(libvirt, q35_gpu_behind_a_root_port)
{
	od_libvirt_gpu_addr g;
	od_err e;
	od_err_clear(&e);
	cr_assert_eq(od_libvirt_gpu(od_span_make(q35, sizeof(q35) - 1, 0), &g, &e), OD_OK, "%s", e.msg);
	cr_assert_str_eq(g.guest, "q35");
	cr_assert_str_eq(g.addr, "06:00.0");
	cr_assert_str_eq(g.root_port, "00:1c.0", "the port of bus 6, not the first port");
	char path[128], why[256];
	cr_assert_eq(od_acpi_path_for(g.guest, g.addr, g.root_port, path, sizeof(path), why, sizeof(why), &e), OD_OK);
	cr_assert_str_eq(path, "\\_SB.PCI0.SE0.S00");
}

Test(libvirt, pc_gpu_on_the_root_bus)
{
	static const char pc[] = "<domain><os><type machine=\"pc-i440fx-7.2\">hvm</type></os><devices>"
				 "<hostdev type=\"pci\"><source><address bus=\"0x01\" slot=\"0x00\"/></source>"
				 "<address type=\"pci\" bus=\"0x00\" slot=\"0x05\" function=\"0x0\"/></hostdev></devices></domain>";
	od_libvirt_gpu_addr g;
	od_err e;
	cr_assert_eq(od_libvirt_gpu(od_span_make(pc, sizeof(pc) - 1, 0), &g, &e), OD_OK, "%s", e.msg);
	cr_assert_str_eq(g.guest, "pc");
	cr_assert_str_eq(g.addr, "00:05.0");
	cr_assert_str_eq(g.root_port, "");
}

Test(libvirt, refusals)
{
	od_libvirt_gpu_addr g;
	od_err e;
	static const char none[] = "<domain><devices></devices></domain>";
	cr_assert_eq(od_libvirt_gpu(od_span_make(none, sizeof(none) - 1, 0), &g, &e), OD_E_FORMAT);
	static const char bridge[] = "<domain><devices><controller type='pci' index='2' model='pcie-to-pci-bridge'>"
				     "<address type='pci' bus='0x00' slot='0x03'/></controller>"
				     "<hostdev type='pci'><address type='pci' bus='0x02' slot='0x01'/></hostdev></devices></domain>";
	cr_assert_eq(od_libvirt_gpu(od_span_make(bridge, sizeof(bridge) - 1, 0), &g, &e), OD_E_UNSUPPORTED);
	cr_assert(strstr(e.msg, "give --acpi-path"), "%s", e.msg);
	/* Cut anywhere: an error or a result, never a read past the end (ASan). */
	for (size_t n = 0; n < sizeof(q35) - 1; n += 7)
		(void)od_libvirt_gpu(od_span_make(q35, n, 0), &g, &e);
}

/* A hostdev in a comment or in CDATA text is not a device; quotes and
 * character references in attributes mean what they mean to libvirt. */
Test(libvirt, comments_cdata_and_references)
{
	static const char x[] =
		"<domain type='kvm'><os><type machine='q35'>hvm</type></os>"
		"<description><![CDATA[<hostdev type='pci'><address type='pci' bus='0x00' slot='0x07'/></hostdev>]]></description>"
		"<devices><!-- <hostdev mode='subsystem' type='pci'><address type='pci' bus='0x00' slot='0x05'/></hostdev> -->"
		"<controller type='pci' index='2' model='pcie-root-port'>"
		"<address type='pci' bus='0x00' slot='&#x30;x1d' function='0x0'/></controller>"
		"<hostdev mode='subsystem' type=\"pci\"><source><address bus='0x01' slot='0x00'/></source>"
		"<address type='pci' bus=\"&#48;x02\" slot='0x00' function='0x0'/></hostdev></devices></domain>";
	od_libvirt_gpu_addr g;
	od_err e;
	od_err_clear(&e);
	cr_assert_eq(od_libvirt_gpu(od_span_make(x, sizeof(x) - 1, 0), &g, &e), OD_OK, "%s", e.msg);
	cr_assert_str_eq(g.addr, "02:00.0", "the live hostdev, not the commented or CDATA one");
	cr_assert_str_eq(g.root_port, "00:1d.0");
}

/* No DTD: an entity bomb is refused before it is declared; not well-formed
 * XML is refused with its line. */
Test(libvirt, doctype_and_malformed_refused)
{
	static const char bomb[] =
		"<?xml version='1.0'?><!DOCTYPE domain [<!ENTITY a 'aaaaaaaaaa'><!ENTITY b '&a;&a;&a;&a;&a;&a;&a;&a;'>"
		"<!ENTITY c '&b;&b;&b;&b;&b;&b;&b;&b;'><!ENTITY d '&c;&c;&c;&c;&c;&c;&c;&c;'>]>"
		"<domain><devices><hostdev type='pci'><address bus='0x00' slot='0x05' function='&d;'/></hostdev></devices></domain>";
	od_libvirt_gpu_addr g;
	od_err e;
	od_err_clear(&e);
	cr_assert_eq(od_libvirt_gpu(od_span_make(bomb, sizeof(bomb) - 1, 0), &g, &e), OD_E_UNSUPPORTED);
	cr_assert(strstr(e.msg, "DOCTYPE"), "%s", e.msg);
	static const char bad[] = "<domain>\n<devices><hostdev type='pci'>\n<address bus='0x00' slot='0x05'></hostdev></devices></domain>";
	cr_assert_eq(od_libvirt_gpu(od_span_make(bad, sizeof(bad) - 1, 0), &g, &e), OD_E_FORMAT);
	cr_assert(strstr(e.msg, "line 3"), "%s", e.msg);
	static const char ext[] = "<domain><devices><hostdev type='pci'><address bus='&x;' slot='0x05'/></hostdev></devices></domain>";
	cr_assert_eq(od_libvirt_gpu(od_span_make(ext, sizeof(ext) - 1, 0), &g, &e), OD_E_FORMAT, "undeclared entity");
}

/* 4 MB of controllers before the hostdev: linear (the old scanner took 21 s). */
Test(libvirt, large_domain_is_linear, .timeout = 15)
{
	static const char head[] = "<domain><devices>", unit[] = "<controller type='usb' index='0'/>",
			  tail[] = "<hostdev type='pci'><address bus='0x00' slot='0x05' function='0x0'/></hostdev></devices></domain>";
	size_t n = 4u << 20, k = strlen(head);
	char *x = malloc(n + sizeof(tail));
	cr_assert(x);
	memcpy(x, head, k);
	while (k + sizeof(unit) < n)
		memcpy(x + k, unit, sizeof(unit) - 1), k += sizeof(unit) - 1;
	memcpy(x + k, tail, sizeof(tail) - 1);
	k += sizeof(tail) - 1;
	od_libvirt_gpu_addr g;
	od_err e;
	od_err_clear(&e);
	cr_assert_eq(od_libvirt_gpu(od_span_make(x, k, 0), &g, &e), OD_OK, "%s", e.msg);
	cr_assert_str_eq(g.addr, "00:05.0");
	/* Unclosed tags: the old scanner searched to the end from each one. The
	 * timeout is a hang guard (the reader takes milliseconds), not a figure. */
	for (k = 0; k + 8 < n; k += 8)
		memcpy(x + k, "<hostdev", 8);
	cr_assert_eq(od_libvirt_gpu(od_span_make(x, k, 0), &g, &e), OD_E_FORMAT);
	free(x);
}

/* Refused by size before a byte is read (the span is never dereferenced). */
Test(libvirt, size_cap)
{
	static const char one[] = "<";
	od_libvirt_gpu_addr g;
	od_err e;
	od_err_clear(&e);
	cr_assert_eq(od_libvirt_gpu(od_span_make(one, (size_t)OD_LIBVIRT_MAX + 1, 0), &g, &e), OD_E_LIMIT);
	cr_assert(strstr(e.msg, "at most"), "%s", e.msg);
}
