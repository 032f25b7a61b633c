#!/usr/bin/env python3
"""Mark an ELF's requirement on a newer glibc version as weak.

The prebuilt Zola binding on the npm registry asks for GLIBC_2.39 only for
two weak symbols (pidfd_getpid, pidfd_spawnp) that Rust's std looks up at
run time and falls back from. Debian 12 has glibc 2.36, so the loader
refuses the file outright. With VER_FLG_WEAK on that version entry the
loader accepts it and the symbols resolve to null, which std handles.
Used only by bench/peers.sh to measure Zola beside dossier.
"""
import struct
import sys

VER_FLG_WEAK = 0x2
SHT_GNU_VERNEED = 0x6FFFFFFE


def patch(path, wanted):
    data = bytearray(open(path, "rb").read())
    if data[:4] != b"\x7fELF" or data[4] != 2:
        sys.exit(f"{path}: not a 64-bit ELF file")
    shoff, = struct.unpack_from("<Q", data, 0x28)
    shentsize, shnum = struct.unpack_from("<HH", data, 0x3A)
    sections = [struct.unpack_from("<IIQQQQIIQQ", data, shoff + i * shentsize) for i in range(shnum)]
    patched = 0
    for sh in sections:
        if sh[1] != SHT_GNU_VERNEED:
            continue
        strtab = sections[sh[6]][4]
        entry = sh[4]
        while True:
            _, cnt, _, aux_off, next_off = struct.unpack_from("<HHIII", data, entry)
            aux = entry + aux_off
            for _ in range(cnt):
                _, flags, _, name, aux_next = struct.unpack_from("<IHHIII", data, aux)[:5]
                end = data.index(0, strtab + name)
                if data[strtab + name:end].decode() in wanted:
                    struct.pack_into("<H", data, aux + 4, flags | VER_FLG_WEAK)
                    patched += 1
                aux += aux_next
            if next_off == 0:
                break
            entry += next_off
    open(path, "wb").write(data)
    return patched


if __name__ == "__main__":
    count = patch(sys.argv[1], set(sys.argv[2:]) or {"GLIBC_2.39"})
    print(f"{sys.argv[1]}: {count} version entries marked weak")
