/* SPDX-License-Identifier: BSD-2-Clause */
/* Node kinds: every kind of node the walk builds, written once. The printed
 * name is what --tree, --json ("kind") and container paths show; the flags
 * are what the CLI asks of a kind instead of comparing strings. */
#ifndef OD_KIND_H
#define OD_KIND_H

#include <stdbool.h>

/* OD_KF_OWN_BUFFER: the node's children live in a buffer of their own
 * (decompressed, reassembled or stripped), so offsets below it restart at 0
 * and a ROM's offset is "in <kind>", not in the file. */
enum { OD_KF_OWN_BUFFER = 1u << 0 };

/* X(ID, printed name, flags), in no particular order. */
#define OD_KINDS(X)                                             \
	X(NONE, "none", 0) /* no node (a helper's "not one") */  \
	X(INPUT, "input", 0)                                     \
	X(ROM, "ROM", 0)                                         \
	/* UEFI: volumes, files, sections (fv.c ffs.c section.c) */ \
	X(FV, "FV", 0)                                           \
	X(FV_PREFIX, "prefix", 0)                                \
	X(FFS_FILE, "file", 0)                                   \
	X(FFS_FREE, "free", 0)                                   \
	X(SECTION, "section", 0)                                 \
	/* decompression steps */                                \
	X(LZMA, "LZMA", OD_KF_OWN_BUFFER)                        \
	X(LZMA_X86, "LZMA x86", OD_KF_OWN_BUFFER)                \
	X(LZMA_HP, "LZMA (HP)", OD_KF_OWN_BUFFER)                \
	X(TIANO, "Tiano", OD_KF_OWN_BUFFER)                      \
	X(EFI11, "EFI 1.1", OD_KF_OWN_BUFFER)                    \
	X(GZIP, "gzip", OD_KF_OWN_BUFFER)                        \
	X(ZLIB, "zlib", OD_KF_OWN_BUFFER)                        \
	X(ZLIB_AMD, "zlib (AMD)", OD_KF_OWN_BUFFER)              \
	X(BROTLI, "Brotli", OD_KF_OWN_BUFFER)                    \
	X(LZ4, "LZ4", OD_KF_OWN_BUFFER)                          \
	/* vendor containers */                                  \
	X(CAPSULE, "capsule", 0)                                 \
	X(FMP_IMAGE, "FMP image", 0)                             \
	X(PFAT, "PFAT", OD_KF_OWN_BUFFER)                        \
	X(BIOS_GUARD, "BIOS Guard", OD_KF_OWN_BUFFER)            \
	X(IFD, "IFD", 0)                                         \
	X(IFD_REGION, "region", 0)                               \
	X(INSYDE, "Insyde", 0)                                   \
	X(PFS, "PFS", 0)                                         \
	X(PFS_ENTRY, "PFS entry", 0)                             \
	X(PHOENIX, "Phoenix BIOS", 0)                            \
	X(NVGI, "NVGI", 0)                                       \
	X(UCP, "AMI UCP", 0)                                     \
	X(UCP_MODULE, "UCP module", 0)                           \
	X(CBFS, "CBFS", 0)                                       \
	X(CBFS_FILE, "CBFS file", 0)                             \
	X(FMAP, "FMAP", 0)                                       \
	/* executables and installers */                         \
	X(PE, "PE", 0)                                           \
	X(PE_SECTION, "PE section", 0)                           \
	X(PE_OVERLAY, "PE overlay", 0)                           \
	X(INNO, "Inno Setup", 0)                                 \
	X(INNO_CHUNK, "Inno chunk", OD_KF_OWN_BUFFER)            \
	X(ISHIELD, "InstallShield", 0)                           \
	X(ISHIELD_FILE, "InstallShield file", 0)                 \
	/* archives (archive.c, eltorito.c): entries, filters, formats */ \
	X(ARCHIVE_ENTRY, "archive entry", 0)                     \
	X(UNPACKED_ENTRY, "unpacked entry", OD_KF_OWN_BUFFER)    \
	X(ELTORITO, "El Torito image", 0)                        \
	X(XZ, "xz", OD_KF_OWN_BUFFER)                            \
	X(BZIP2, "bzip2", OD_KF_OWN_BUFFER)                      \
	X(LZMA_ALONE, "lzma", OD_KF_OWN_BUFFER)                  \
	X(STREAM, "compressed stream", OD_KF_OWN_BUFFER)         \
	X(ZIP, "zip", 0)                                         \
	X(SEVENZIP, "7z", 0)                                     \
	X(CAB, "cab", 0)                                         \
	X(ISO9660, "iso9660", 0)                                 \
	X(TAR, "tar", 0)                                         \
	X(RAR, "rar", 0)                                         \
	X(RAR5, "rar5", 0)                                       \
	X(ARCHIVE, "archive", 0)

typedef enum od_kind {
#define OD_KIND_ENUM(id, name, flags) OD_KIND_##id,
	OD_KINDS(OD_KIND_ENUM)
#undef OD_KIND_ENUM
	OD_KIND_COUNT
} od_kind;

/* The printed name ("FV", "LZMA x86"); "?" for a value outside the table. */
const char *od_kind_name(od_kind k);
/* Whether kind k has every flag in `flags` (OD_KF_*). */
bool od_kind_is(od_kind k, unsigned flags);

#endif
