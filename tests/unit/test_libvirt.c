/* Reading the GPU's guest placement from libvirt domain XML, as virsh
 * dumpxml writes it (formatdomain.html), and the refusals. */
#include <criterion/criterion.h>
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
