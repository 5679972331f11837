package io.sochdb.release.compliance;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads what the manylinux policy constrains from an ELF file: class, byte order, machine, DT_NEEDED and the versions
 * in .gnu.version_r. Section headers sit at the end of the file, so it needs random access. Every count and offset
 * is checked against the file before it is followed, and every chain is bounded by its section's size, so a hostile
 * file ends in an error, never in a loop.
 */
final class ElfReader {

    private static final int ET_EXEC = 2;
    private static final int ET_DYN = 3;
    private static final int PT_DYNAMIC = 2;
    private static final int PT_INTERP = 3;
    private static final int SHT_STRTAB = 3;
    private static final int SHT_DYNAMIC = 6;
    private static final int SHT_NOBITS = 8;
    private static final int SHT_GNU_VERNEED = 0x6ffffffe;
    private static final long DT_NULL = 0;
    private static final long DT_NEEDED = 1;
    /** Real files have a few dozen sections; extended numbering allows millions, which we refuse to walk. */
    private static final int MAX_SECTIONS = 65_536;
    private static final int MAX_SEGMENTS = 65_535;

    private final BinaryData data;
    private boolean is64;
    private ByteOrder order;

    private ElfReader(BinaryData data) {
        this.data = data;
    }

    static BinaryHeader.Elf read(BinaryData data) {
        return new ElfReader(data).read();
    }

    private record Section(int type, long offset, long size, long link, long info) {
    }

    private BinaryHeader.Elf read() {
        byte[] ident = data.bytes(0, 16, "ELF identification");
        int elfClass = ident[4];
        if (elfClass != 1 && elfClass != 2) {
            throw new MalformedBinaryException("ELF class " + elfClass + " is neither 32- nor 64-bit");
        }
        if (ident[5] != 1 && ident[5] != 2) {
            throw new MalformedBinaryException("ELF byte order " + ident[5] + " is neither LSB nor MSB");
        }
        if (ident[6] != 1) {
            throw new MalformedBinaryException("ELF version " + ident[6] + " is unknown");
        }
        is64 = elfClass == 2;
        order = ident[5] == 1 ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
        int type = data.u16(16, order, "e_type");
        int machine = data.u16(18, order, "e_machine");
        if (type != ET_EXEC && type != ET_DYN) {
            throw new MalformedBinaryException("ELF type " + type + " is not an executable or shared object"
                    + (type == 1 ? " (a relocatable object file)" : type == 4 ? " (a core dump)" : ""));
        }
        List<Section> sections = sections();
        Section dynamic = sections.stream().filter(s -> s.type() == SHT_DYNAMIC).findFirst().orElse(null);
        if (dynamic == null) {
            if (hasDynamicSegment()) {
                throw new MalformedBinaryException("ELF file is dynamically linked but has no section headers that"
                        + " describe its dynamic section, so its library needs cannot be checked");
            }
            return new BinaryHeader.Elf(is64 ? 64 : 32, order == ByteOrder.LITTLE_ENDIAN, type, machine, List.of(),
                    List.of(), false);
        }
        List<String> needed = needed(dynamic, strings(sections, dynamic, ".dynamic"));
        List<String> versions = new ArrayList<>();
        for (Section verneed : sections.stream().filter(s -> s.type() == SHT_GNU_VERNEED).toList()) {
            versions.addAll(versionNeeds(verneed, strings(sections, verneed, ".gnu.version_r")));
        }
        return new BinaryHeader.Elf(is64 ? 64 : 32, order == ByteOrder.LITTLE_ENDIAN, type, machine, needed,
                List.copyOf(new LinkedHashSet<>(versions)), true);
    }

    private List<Section> sections() {
        long shoff = is64 ? data.u64(40, order, "e_shoff") : data.u32(32, order, "e_shoff");
        int shentsize = data.u16(is64 ? 58 : 46, order, "e_shentsize");
        long shnum = data.u16(is64 ? 60 : 48, order, "e_shnum");
        if (shoff == 0) {
            return List.of();
        }
        int expected = is64 ? 64 : 40;
        if (shentsize != expected) {
            throw new MalformedBinaryException("ELF section header size " + shentsize + " is not " + expected);
        }
        if (shnum == 0) {
            // Extended numbering: the real count sits in the first section header's sh_size.
            shnum = is64 ? data.u64(shoff + 32, order, "extended section count")
                    : data.u32(shoff + 20, order, "extended section count");
        }
        if (shnum > MAX_SECTIONS) {
            throw new MalformedBinaryException("ELF file claims " + shnum + " sections");
        }
        List<Section> sections = new ArrayList<>();
        for (int i = 0; i < shnum; i++) {
            long at = shoff + (long) i * shentsize;
            data.read(at, shentsize, order, "section header " + i);
            int type = (int) data.u32(at + 4, order, "section type");
            long offset = is64 ? data.u64(at + 24, order, "section offset") : data.u32(at + 16, order, "section offset");
            long size = is64 ? data.u64(at + 32, order, "section size") : data.u32(at + 20, order, "section size");
            long link = data.u32(at + (is64 ? 40 : 24), order, "section link");
            long info = data.u32(at + (is64 ? 44 : 28), order, "section info");
            if (type != SHT_NOBITS && i > 0 && (offset > data.size() || data.size() - offset < size)) {
                throw new MalformedBinaryException("ELF section " + i + " ends past the end of the file");
            }
            sections.add(new Section(type, offset, size, link, info));
        }
        return sections;
    }

    private boolean hasDynamicSegment() {
        long phoff = is64 ? data.u64(32, order, "e_phoff") : data.u32(28, order, "e_phoff");
        int phentsize = data.u16(is64 ? 54 : 42, order, "e_phentsize");
        int phnum = data.u16(is64 ? 56 : 44, order, "e_phnum");
        if (phoff == 0 || phnum == 0) {
            return false;
        }
        if (phentsize != (is64 ? 56 : 32) || phnum > MAX_SEGMENTS) {
            throw new MalformedBinaryException("ELF program header table has entries of " + phentsize + " bytes");
        }
        for (int i = 0; i < phnum; i++) {
            long type = data.u32(phoff + (long) i * phentsize, order, "program header " + i);
            if (type == PT_DYNAMIC || type == PT_INTERP) {
                return true;
            }
        }
        return false;
    }

    /** The string table a section links to, as its offset and size. */
    private Section strings(List<Section> sections, Section owner, String name) {
        if (owner.link() <= 0 || owner.link() >= sections.size()) {
            throw new MalformedBinaryException(name + " links to section " + owner.link() + ", which does not exist");
        }
        Section strtab = sections.get((int) owner.link());
        if (strtab.type() != SHT_STRTAB) {
            throw new MalformedBinaryException(name + " links to a section that is not a string table");
        }
        return strtab;
    }

    private List<String> needed(Section dynamic, Section strtab) {
        int entry = is64 ? 16 : 8;
        if (dynamic.size() / entry > MAX_SECTIONS) {
            throw new MalformedBinaryException(".dynamic claims " + dynamic.size() / entry + " entries");
        }
        List<String> needed = new ArrayList<>();
        for (long at = dynamic.offset(); at + entry <= dynamic.offset() + dynamic.size(); at += entry) {
            long tag = is64 ? data.read(at, 8, order, "dynamic tag").getLong() : data.u32(at, order, "dynamic tag");
            if (tag == DT_NULL) {
                break;
            }
            if (tag == DT_NEEDED) {
                long value = is64 ? data.u64(at + 8, order, "DT_NEEDED") : data.u32(at + 4, order, "DT_NEEDED");
                needed.add(string(strtab, value, "DT_NEEDED name"));
            }
        }
        return needed;
    }

    /** Elf_Verneed entries and their Elf_Vernaux names; every step must stay inside the section. */
    private List<String> versionNeeds(Section verneed, Section strtab) {
        if (verneed.size() > BinaryData.MAX_READ) {
            throw new MalformedBinaryException(".gnu.version_r claims " + verneed.size() + " bytes");
        }
        if (verneed.size() == 0) {
            return List.of();
        }
        List<String> names = new ArrayList<>();
        long budget = verneed.size() / 16;
        long offset = 0;
        Set<Long> seen = new HashSet<>();
        while (true) {
            checkEntry(verneed, offset, "version need");
            if (!seen.add(offset) || budget-- <= 0) {
                throw new MalformedBinaryException(".gnu.version_r chains back on itself");
            }
            long at = verneed.offset() + offset;
            int count = data.u16(at + 2, order, "vn_cnt");
            long aux = offset + data.u32(at + 8, order, "vn_aux");
            for (int i = 0; i < count; i++) {
                checkEntry(verneed, aux, "version need entry");
                if (budget-- <= 0) {
                    throw new MalformedBinaryException(".gnu.version_r holds more entries than fit in it");
                }
                long name = data.u32(verneed.offset() + aux + 8, order, "vna_name");
                names.add(string(strtab, name, "version name"));
                long next = data.u32(verneed.offset() + aux + 12, order, "vna_next");
                if (next == 0) {
                    break;
                }
                aux += next;
            }
            long next = data.u32(at + 12, order, "vn_next");
            if (next == 0) {
                return names;
            }
            offset += next;
        }
    }

    private void checkEntry(Section section, long offset, String what) {
        if (offset < 0 || offset + 16 > section.size()) {
            throw new MalformedBinaryException(what + " lies outside .gnu.version_r");
        }
    }

    private String string(Section strtab, long index, String what) {
        if (index >= strtab.size()) {
            throw new MalformedBinaryException(what + " points outside its string table");
        }
        return data.cString(strtab.offset() + index, strtab.offset() + strtab.size(), what);
    }
}
