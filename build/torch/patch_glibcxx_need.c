/*
 * Makes libLibTorchSharp.so loadable on hosts whose libstdc++ predates GLIBCXX_3.4.32 (GCC 13).
 * Usage: patch_glibcxx_need <libLibTorchSharp.so>
 *   exit 0 and prints "not-needed" when the host libstdc++ already provides the symbol,
 *   "patched" or "already-patched" otherwise. The file is modified in place (same size).
 * It marks the GLIBCXX_3.4.32 version need weak and clears the version of the one symbol behind it,
 * std::ios_base_library_init(), which the shim library then provides.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <elf.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *kVersion = "GLIBCXX_3.4.32";
static const char *kSymbol = "_ZSt21ios_base_library_initv";

static int host_has_symbol(void) {
  void *lib = dlopen("libstdc++.so.6", RTLD_NOW | RTLD_LOCAL);
  return lib != NULL && dlvsym(lib, kSymbol, kVersion) != NULL;
}

static Elf64_Shdr *find_section(unsigned char *base, Elf64_Ehdr *eh, Elf64_Word type) {
  Elf64_Shdr *sections = (Elf64_Shdr *)(base + eh->e_shoff);
  for (int i = 0; i < eh->e_shnum; i++)
    if (sections[i].sh_type == type) return &sections[i];
  return NULL;
}

int main(int argc, char **argv) {
  if (argc != 2) { fprintf(stderr, "usage: %s <libLibTorchSharp.so>\n", argv[0]); return 2; }
  if (host_has_symbol()) { puts("not-needed"); return 0; }

  int fd = open(argv[1], O_RDWR);
  if (fd < 0) { perror(argv[1]); return 1; }
  struct stat st;
  fstat(fd, &st);
  unsigned char *base = mmap(NULL, st.st_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  if (base == MAP_FAILED) { perror("mmap"); return 1; }
  Elf64_Ehdr *eh = (Elf64_Ehdr *)base;
  if (memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0 || eh->e_ident[EI_CLASS] != ELFCLASS64) {
    fprintf(stderr, "%s: not a 64-bit ELF file\n", argv[1]); return 1;
  }
  Elf64_Shdr *verneed = find_section(base, eh, SHT_GNU_verneed);
  Elf64_Shdr *versym = find_section(base, eh, SHT_GNU_versym);
  Elf64_Shdr *dynsym = find_section(base, eh, SHT_DYNSYM);
  if (!verneed || !versym || !dynsym) { fprintf(stderr, "%s: no symbol versioning\n", argv[1]); return 1; }
  Elf64_Shdr *sections = (Elf64_Shdr *)(base + eh->e_shoff);
  const char *verstr = (const char *)(base + sections[verneed->sh_link].sh_offset);
  const char *symstr = (const char *)(base + sections[dynsym->sh_link].sh_offset);

  int need_index = -1, changed = 0;
  unsigned char *p = base + verneed->sh_offset;
  for (;;) {
    Elf64_Verneed *vn = (Elf64_Verneed *)p;
    unsigned char *a = p + vn->vn_aux;
    for (int i = 0; i < vn->vn_cnt; i++) {
      Elf64_Vernaux *aux = (Elf64_Vernaux *)a;
      if (strcmp(verstr + aux->vna_name, kVersion) == 0) {
        need_index = aux->vna_other;
        if (!(aux->vna_flags & VER_FLG_WEAK)) { aux->vna_flags |= VER_FLG_WEAK; changed = 1; }
      }
      a += aux->vna_next;
    }
    if (vn->vn_next == 0) break;
    p += vn->vn_next;
  }

  Elf64_Sym *syms = (Elf64_Sym *)(base + dynsym->sh_offset);
  Elf64_Half *versions = (Elf64_Half *)(base + versym->sh_offset);
  size_t count = dynsym->sh_size / sizeof(Elf64_Sym);
  for (size_t i = 0; i < count; i++) {
    Elf64_Half v = versions[i] & 0x7fff;
    if (need_index >= 0 && v == need_index && strcmp(symstr + syms[i].st_name, kSymbol) == 0) {
      versions[i] = 1;
      changed = 1;
    }
  }
  msync(base, st.st_size, MS_SYNC);
  munmap(base, st.st_size);
  close(fd);
  puts(need_index < 0 ? "no-need" : changed ? "patched" : "already-patched");
  return 0;
}
