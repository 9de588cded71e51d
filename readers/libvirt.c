/* SPDX-License-Identifier: BSD-2-Clause */
/* Where a libvirt domain puts the GPU: the first PCI <hostdev>'s guest
 * <address>, the pcie-root-port <controller> whose index is that bus, and
 * the machine type (libvirt domain XML format, formatdomain.html: hostdev,
 * controller, os/type). Read with libxml2, as libvirt itself reads it, so
 * comments, CDATA, character references and either quote style mean what
 * they mean to libvirt. No network, no DTD: a document with a DOCTYPE is
 * refused before its internal subset is read (libvirt domains have none,
 * and entity declarations are the way to amplification attacks). */
#include "libvirt.h"

#ifdef OD_NO_LIBXML2
int od_libvirt_gpu(od_span s, od_libvirt_gpu_addr *g, od_err *e)
{
	(void)g;
	return od_fail(e, OD_E_UNSUPPORTED, s.off, "this static build reads no libvirt XML (built without libxml2): "
		       "give --guest-addr and --root-port");
}
#else
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Stops the parse at "<!DOCTYPE": no entity can be declared, none loaded. */
static void no_doctype(void *ctx, const xmlChar *name, const xmlChar *ext, const xmlChar *sys)
{
	(void)name, (void)ext, (void)sys;
	xmlParserCtxtPtr c = ctx;
	c->_private = (void *)"doctype";
	xmlStopParser(c);
}

static bool is(const xmlNode *n, const char *name)
{
	return n && n->type == XML_ELEMENT_NODE && !n->ns && !strcmp((const char *)n->name, name);
}

/* The first element child of n named name, after `after` (NULL: from the start). */
static xmlNode *child(const xmlNode *n, const char *name, const xmlNode *after)
{
	for (xmlNode *c = after ? after->next : n->children; c; c = c->next)
		if (is(c, name))
			return c;
	return NULL;
}

/* Attribute value (entities resolved) into out; false when absent or too long. */
static bool attr(const xmlNode *n, const char *name, char *out, size_t cap)
{
	xmlChar *v = xmlGetNoNsProp(n, (const xmlChar *)name);
	bool ok = v && strlen((const char *)v) < cap;
	if (ok)
		snprintf(out, cap, "%s", (const char *)v);
	xmlFree(v);
	return ok;
}

static bool num(const xmlNode *n, const char *name, unsigned *v)
{
	char b[24], *end;
	if (!attr(n, name, b, sizeof(b)) || !b[0])
		return false;
	unsigned long x = strtoul(b, &end, 0);
	if (*end || x > 0xFFFF)
		return false;
	*v = (unsigned)x;
	return true;
}

/* A failure at a node: libxml2 knows lines, not byte offsets. */
static int fail_at(od_err *e, int code, const xmlNode *n, const char *what)
{
	od_fail_nooff(e, code, "line %ld: %s", n ? xmlGetLineNo(n) : 0L, what);
	return code;
}

static xmlDoc *parse(od_span s, od_err *e)
{
	if (s.len > OD_LIBVIRT_MAX)
		return od_fail(e, OD_E_LIMIT, s.off, "domain XML of %zu bytes (at most %u read)", s.len, OD_LIBVIRT_MAX), NULL;
	xmlParserCtxtPtr c = xmlNewParserCtxt();
	if (!c)
		return od_fail(e, OD_E_NOMEM, s.off, "XML parser"), NULL;
	c->sax->internalSubset = no_doctype;
	c->sax->externalSubset = NULL;
	/* NONET: never fetch; no DTDLOAD/NOENT/XINCLUDE: nothing outside the bytes. */
	int opts = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_NOCDATA;
	xmlDoc *d = xmlCtxtReadMemory(c, (const char *)s.p, (int)s.len, "domain.xml", NULL, opts);
	if (c->_private) {
		od_fail(e, OD_E_UNSUPPORTED, s.off, "a DOCTYPE (DTDs and entity declarations are not read; libvirt writes none)");
		xmlFreeDoc(d);
		d = NULL;
	} else if (!d || !c->wellFormed) {
		const xmlError *x = xmlCtxtGetLastError(c);
		char msg[160] = "not well-formed";
		if (x && x->message)
			snprintf(msg, sizeof(msg), "%s", x->message);
		msg[strcspn(msg, "\n")] = 0;
		od_fail_nooff(e, OD_E_FORMAT, "not well-formed XML at line %d, column %d: %s", x ? x->line : 0,
			x ? x->int2 : 0, msg);
		xmlFreeDoc(d);
		d = NULL;
	}
	xmlFreeParserCtxt(c);
	return d;
}

/* The first <hostdev type='pci'> among the domain's devices. */
static xmlNode *pci_hostdev(const xmlNode *dom)
{
	for (xmlNode *dev = child(dom, "devices", NULL); dev; dev = child(dom, "devices", dev))
		for (xmlNode *h = child(dev, "hostdev", NULL); h; h = child(dev, "hostdev", h)) {
			char type[16];
			if (attr(h, "type", type, sizeof(type)) && !strcmp(type, "pci"))
				return h;
		}
	return NULL;
}

/* The pci <controller> whose index is bus. */
static xmlNode *controller(const xmlNode *dom, unsigned bus)
{
	for (xmlNode *dev = child(dom, "devices", NULL); dev; dev = child(dom, "devices", dev))
		for (xmlNode *c = child(dev, "controller", NULL); c; c = child(dev, "controller", c)) {
			char type[16];
			unsigned index;
			if (attr(c, "type", type, sizeof(type)) && !strcmp(type, "pci") && num(c, "index", &index) &&
			    index == bus)
				return c;
		}
	return NULL;
}

static int read_domain(const xmlNode *dom, od_libvirt_gpu_addr *g, od_err *e)
{
	if (!is(dom, "domain"))
		return fail_at(e, OD_E_FORMAT, dom, "the root element is not <domain> (not a libvirt domain)");
	char machine[64] = "";
	xmlNode *os = child(dom, "os", NULL), *type = os ? child(os, "type", NULL) : NULL;
	if (type)
		attr(type, "machine", machine, sizeof(machine));
	snprintf(g->guest, sizeof(g->guest), "%s", strstr(machine, "q35") ? "q35" : machine[0] ? "pc" : "q35");
	xmlNode *hd = pci_hostdev(dom);
	if (!hd)
		return fail_at(e, OD_E_FORMAT, dom, "no <hostdev type='pci'> in <devices>");
	/* The guest address is the hostdev's own <address>, not the one in <source>. */
	xmlNode *el = child(hd, "address", NULL);
	unsigned bus, slot, fn = 0;
	if (!el || !num(el, "bus", &bus) || !num(el, "slot", &slot))
		return fail_at(e, OD_E_FORMAT, hd, "the PCI hostdev has no guest <address bus= slot=>");
	num(el, "function", &fn);
	if (bus > 0xFF || slot > 0x1F || fn > 7)
		return fail_at(e, OD_E_FORMAT, el, "the PCI hostdev's guest address is out of range");
	snprintf(g->addr, sizeof(g->addr), "%02x:%02x.%x", bus, slot, fn);
	if (bus == 0)
		return OD_OK;
	xmlNode *c = controller(dom, bus);
	if (!c) {
		char m[64];
		snprintf(m, sizeof(m), "no <controller type='pci' index='%u'> for the GPU's bus", bus);
		return fail_at(e, OD_E_FORMAT, hd, m);
	}
	char model[32] = "", m[128];
	attr(c, "model", model, sizeof(model));
	el = child(c, "address", NULL);
	unsigned pbus, pslot, pfn = 0;
	if (strcmp(model, "pcie-root-port") || !el || !num(el, "bus", &pbus) || !num(el, "slot", &pslot) || pbus != 0 ||
	    pslot > 0x1F) {
		snprintf(m, sizeof(m), "bus %u is a %s, not a pcie-root-port on bus 0: give --acpi-path", bus,
			 model[0] ? model : "controller");
		return fail_at(e, OD_E_UNSUPPORTED, c, m);
	}
	num(el, "function", &pfn);
	if (pfn > 7)
		return fail_at(e, OD_E_FORMAT, el, "the root port's function is out of range");
	snprintf(g->root_port, sizeof(g->root_port), "00:%02x.%x", pslot, pfn);
	return OD_OK;
}

int od_libvirt_gpu(od_span s, od_libvirt_gpu_addr *g, od_err *e)
{
	memset(g, 0, sizeof(*g));
	xmlDoc *d = parse(s, e);
	if (!d)
		return e ? e->code : OD_E_FORMAT;
	int rc = read_domain(xmlDocGetRootElement(d), g, e);
	xmlFreeDoc(d);
	return rc;
}
#endif
