package dev.apiguard.capture;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The offsets of the return instructions in an x86-64 function body, found by decoding it
 * instruction by instruction from its first byte (a length decoder: prefixes, REX, VEX, opcode maps
 * 0F/0F38/0F3A, ModRM, SIB, displacement, immediates), so that a 0xC3 byte inside another
 * instruction (an immediate, a displacement) is never taken for a RET. Go functions cannot carry a
 * uretprobe (the runtime moves goroutine stacks, and a rewritten return address would be copied
 * with them), so the TLS probes sit on each RET instead.
 *
 * <p>The decoder knows the instructions compilers emit in general-purpose code (Go's included); an
 * opcode it does not know (EVEX, 3DNow!, far calls with segment selectors) stops it with an empty
 * result, and the function is reported as skipped rather than probed at a guess.
 */
final class X86Returns {
    private X86Returns() {}

    /** RET offsets from the start of {@code code}, or empty when an instruction could not be decoded. */
    static Optional<List<Integer>> find(byte[] code) {
        List<Integer> returns = new ArrayList<>();
        int pc = 0;
        while (pc < code.length) {
            int length = length(code, pc, returns);
            if (length <= 0) {
                return Optional.empty();
            }
            pc += length;
        }
        return pc == code.length ? Optional.of(returns) : Optional.empty();
    }

    /** Length of the instruction at {@code start}, adding it to {@code returns} when it is a RET; 0 when unknown. */
    static int length(byte[] c, int start, List<Integer> returns) {
        int p = start;
        boolean operand16 = false;
        // Legacy prefixes.
        while (p < c.length) {
            int b = c[p] & 0xff;
            if (b == 0x66) {
                operand16 = true;
            } else if (b != 0xf0 && b != 0xf2 && b != 0xf3 && b != 0x2e && b != 0x36 && b != 0x3e && b != 0x26
                    && b != 0x64 && b != 0x65 && b != 0x67) {
                break;
            }
            p++;
        }
        if (p >= c.length) {
            return 0;
        }
        boolean rexW = false;
        int b = c[p] & 0xff;
        if ((b & 0xf0) == 0x40) {
            rexW = (b & 0x08) != 0;
            p++;
            if (p >= c.length) {
                return 0;
            }
            b = c[p] & 0xff;
        }
        int imm32 = operand16 ? 2 : 4;
        if (b == 0xc4 || b == 0xc5) { // VEX: map from its payload, then opcode, ModRM, imm8 for map 0F3A
            int map = 1;
            if (b == 0xc4) {
                if (p + 2 >= c.length) {
                    return 0;
                }
                map = c[p + 1] & 0x1f;
                p += 3;
            } else {
                p += 2;
            }
            p++; // opcode
            int n = modrm(c, p);
            if (n <= 0 || map < 1 || map > 3) {
                return 0;
            }
            p += n + (map == 3 ? 1 : 0);
            return within(c, start, p);
        }
        if (b == 0x62) {
            return 0; // EVEX
        }
        p++;
        if (b == 0x0f) {
            return twoByte(c, start, p, operand16);
        }
        int hi = b >> 4;
        int lo = b & 0x0f;
        if (hi <= 3 && (lo & 7) <= 3) { // ALU r/m forms
            return modrmThen(c, start, p, 0);
        }
        if (hi <= 3 && (lo & 7) == 4) {
            return within(c, start, p + 1);
        }
        if (hi <= 3 && (lo & 7) == 5) {
            return within(c, start, p + imm32);
        }
        if (hi <= 3) {
            return 0; // 06/07/0E/16/17/1E/1F/27/2F/37/3F: invalid in 64-bit mode (and 26/2E/36/3E are prefixes)
        }
        switch (b) {
            case 0x50, 0x51, 0x52, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59, 0x5a, 0x5b, 0x5c, 0x5d, 0x5e, 0x5f,
                    0x90, 0x91, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9b, 0x9c, 0x9d, 0x9e, 0x9f,
                    0xa4, 0xa5, 0xa6, 0xa7, 0xaa, 0xab, 0xac, 0xad, 0xae, 0xaf,
                    0xc9, 0xcc, 0xf4, 0xf5, 0xf8, 0xf9, 0xfa, 0xfb, 0xfc, 0xfd, 0xd7:
                return within(c, start, p);
            case 0xc3:
                returns.add(start);
                return within(c, start, p);
            case 0xc2:
                returns.add(start);
                return within(c, start, p + 2);
            case 0x63, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8a, 0x8b, 0x8c, 0x8d, 0x8e, 0x8f,
                    0xd0, 0xd1, 0xd2, 0xd3, 0xd8, 0xd9, 0xda, 0xdb, 0xdc, 0xdd, 0xde, 0xdf, 0xfe, 0xff:
                return modrmThen(c, start, p, 0);
            case 0x69, 0x81, 0xc7:
                return modrmThen(c, start, p, imm32);
            case 0x6b, 0x80, 0x83, 0xc0, 0xc1, 0xc6:
                return modrmThen(c, start, p, 1);
            case 0x68:
                return within(c, start, p + imm32);
            case 0x6a, 0xa8, 0xcd, 0xe0, 0xe1, 0xe2, 0xe3, 0xe4, 0xe5, 0xe6, 0xe7, 0xeb,
                    0x70, 0x71, 0x72, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7a, 0x7b, 0x7c, 0x7d, 0x7e, 0x7f:
                return within(c, start, p + 1);
            case 0xa9:
                return within(c, start, p + imm32);
            case 0xa0, 0xa1, 0xa2, 0xa3:
                return within(c, start, p + 8); // moffs64
            case 0xb0, 0xb1, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6, 0xb7:
                return within(c, start, p + 1);
            case 0xb8, 0xb9, 0xba, 0xbb, 0xbc, 0xbd, 0xbe, 0xbf:
                return within(c, start, p + (rexW ? 8 : imm32));
            case 0xc8:
                return within(c, start, p + 3);
            case 0xe8, 0xe9:
                return within(c, start, p + 4);
            case 0xf6, 0xf7: {
                if (p >= c.length) {
                    return 0;
                }
                int reg = (c[p] >> 3) & 7;
                int imm = reg <= 1 ? (b == 0xf6 ? 1 : imm32) : 0;
                return modrmThen(c, start, p, imm);
            }
            default:
                return 0;
        }
    }

    private static int twoByte(byte[] c, int start, int p, boolean operand16) {
        if (p >= c.length) {
            return 0;
        }
        int op = c[p] & 0xff;
        p++;
        if (op == 0x38) {
            return p < c.length ? modrmThen(c, start, p + 1, 0) : 0;
        }
        if (op == 0x3a) {
            return p < c.length ? modrmThen(c, start, p + 1, 1) : 0;
        }
        if (op >= 0x80 && op <= 0x8f) {
            return within(c, start, p + 4); // jcc rel32
        }
        if (op >= 0xc8 && op <= 0xcf) {
            return within(c, start, p); // bswap
        }
        switch (op) {
            case 0x05, 0x06, 0x07, 0x08, 0x09, 0x0b, 0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x77, 0xa0, 0xa1, 0xa2, 0xa8, 0xa9,
                    0xaa:
                return within(c, start, p);
            case 0x70, 0x71, 0x72, 0x73, 0xa4, 0xac, 0xba, 0xc2, 0xc4, 0xc5, 0xc6:
                return modrmThen(c, start, p, 1);
            case 0x04, 0x0a, 0x0c, 0x0e, 0x0f, 0x24, 0x25, 0x26, 0x27, 0x36, 0x39, 0x3b, 0x3c, 0x3d, 0x3e, 0x3f, 0x7a, 0x7b,
                    0xff:
                return 0; // invalid or not emitted by compilers (3DNow! 0F 0F among them)
            default:
                return modrmThen(c, start, p, 0); // the rest of the map takes a ModRM
        }
    }

    private static int modrmThen(byte[] c, int start, int p, int immediate) {
        int n = modrm(c, p);
        return n <= 0 ? 0 : within(c, start, p + n + immediate);
    }

    /** Bytes taken by ModRM, SIB and displacement at {@code p}; 0 when past the end. */
    private static int modrm(byte[] c, int p) {
        if (p >= c.length) {
            return 0;
        }
        int m = c[p] & 0xff;
        int mod = m >> 6;
        int rm = m & 7;
        int n = 1;
        if (mod == 3) {
            return n;
        }
        if (rm == 4) { // SIB
            if (p + 1 >= c.length) {
                return 0;
            }
            int sib = c[p + 1] & 0xff;
            n++;
            if (mod == 0 && (sib & 7) == 5) {
                n += 4;
            }
        } else if (mod == 0 && rm == 5) {
            n += 4; // RIP-relative
        }
        if (mod == 1) {
            n += 1;
        } else if (mod == 2) {
            n += 4;
        }
        return n;
    }

    private static int within(byte[] c, int start, int end) {
        return end <= c.length ? end - start : 0;
    }
}
