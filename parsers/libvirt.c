/* Where a libvirt domain puts the GPU: the first PCI <hostdev>'s guest
 * <address>, the pcie-root-port <controller> whose index is that bus, and
 * the machine type (libvirt domain XML format, formatdomain.html: hostdev,
 * controller, os/type). A small bounded scanner, not an XML parser: it reads
 * only these elements and attributes and refuses anything it cannot place. */
#include "libvirt.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The element starting at `at` (just past "<tag"), up to its '>'. */
static bool element(od_span s, size_t at, od_span *out)
{
	size_t end = od_find(s, at, ">", 1);
	return end != SIZE_MAX && !od_sub(s, at, end - at, out, NULL);
}

/* Attribute value name='v' or name="v" inside one element. */
static bool attr(od_span el, const char *name, char *out, size_t n)
{
	char key[32];
	for (int q = 0; q < 2; q++) {
		snprintf(key, sizeof(key), " %s=%c", name, q ? '"' : '\'');
		size_t at = od_find(el, 0, key, strlen(key));
		if (at == SIZE_MAX)
			continue;
		at += strlen(key);
		size_t end = od_find(el, at, q ? "\"" : "'", 1);
		if (end == SIZE_MAX || end - at >= n)
			return false;
		memcpy(out, el.p + at, end - at);
		out[end - at] = 0;
		return true;
	}
	return false;
}

static bool num(od_span el, const char *name, unsigned *v)
{
	char b[24], *end;
	if (!attr(el, name, b, sizeof(b)))
		return false;
	unsigned long x = strtoul(b, &end, 0);
	if (*end || x > 0xFFFF)
		return false;
	*v = (unsigned)x;
	return true;
}

/* The first "<address ..." in [from, to) that is not inside <source>. */
static bool guest_address(od_span s, size_t from, size_t to, od_span *el)
{
	size_t src_end = SIZE_MAX, src = od_find(s, from, "<source", 7);
	if (src != SIZE_MAX && src < to)
		src_end = od_find(s, src, "</source>", 9);
	for (size_t at = from; (at = od_find(s, at, "<address", 8)) != SIZE_MAX && at < to; at += 8) {
		if (src != SIZE_MAX && at > src && src_end != SIZE_MAX && at < src_end)
			continue;
		return element(s, at + 8, el);
	}
	return false;
}

int od_libvirt_gpu(od_span s, od_libvirt_gpu_addr *g, od_err *e)
{
	memset(g, 0, sizeof(*g));
	od_span el;
	size_t t = od_find(s, 0, "<type", 5);
	char machine[64] = "";
	if (t != SIZE_MAX && element(s, t + 5, &el))
		attr(el, "machine", machine, sizeof(machine));
	snprintf(g->guest, sizeof(g->guest), "%s", strstr(machine, "q35") ? "q35" : machine[0] ? "pc" : "q35");
	/* The first PCI hostdev. */
	size_t at = 0, hd = SIZE_MAX, hd_end = SIZE_MAX;
	while ((at = od_find(s, at, "<hostdev", 8)) != SIZE_MAX) {
		char type[16];
		if (element(s, at + 8, &el) && attr(el, "type", type, sizeof(type)) && !strcmp(type, "pci")) {
			hd = at;
			hd_end = od_find(s, at, "</hostdev>", 10);
			break;
		}
		at += 8;
	}
	if (hd == SIZE_MAX || hd_end == SIZE_MAX)
		return od_fail(e, OD_E_FORMAT, s.off, "no <hostdev type='pci'> element with a closing tag");
	unsigned bus, slot, fn = 0;
	if (!guest_address(s, hd, hd_end, &el) || !num(el, "bus", &bus) || !num(el, "slot", &slot))
		return od_fail(e, OD_E_FORMAT, s.off + hd, "the PCI hostdev has no guest <address bus= slot=>");
	num(el, "function", &fn);
	snprintf(g->addr, sizeof(g->addr), "%02x:%02x.%x", bus, slot, fn);
	if (bus == 0)
		return OD_OK;
	/* The controller whose index is that bus, and its own address on bus 0. */
	for (at = 0; (at = od_find(s, at, "<controller", 11)) != SIZE_MAX; at += 11) {
		unsigned index, pbus, pslot, pfn = 0;
		char type[16], model[32] = "";
		if (!element(s, at + 11, &el) || !attr(el, "type", type, sizeof(type)) || strcmp(type, "pci") ||
		    !num(el, "index", &index) || index != bus)
			continue;
		attr(el, "model", model, sizeof(model));
		size_t end = od_find(s, at, "</controller>", 13);
		if (strcmp(model, "pcie-root-port") || end == SIZE_MAX || !guest_address(s, at, end, &el) ||
		    !num(el, "bus", &pbus) || !num(el, "slot", &pslot) || pbus != 0)
			return od_fail(e, OD_E_UNSUPPORTED, s.off + at,
				       "bus %u is a %s, not a pcie-root-port on bus 0: give --acpi-path", bus, model[0] ? model : "controller");
		num(el, "function", &pfn);
		snprintf(g->root_port, sizeof(g->root_port), "00:%02x.%x", pslot, pfn);
		return OD_OK;
	}
	return od_fail(e, OD_E_FORMAT, s.off + hd, "no <controller type='pci' index='%u'> for the GPU's bus", bus);
}
