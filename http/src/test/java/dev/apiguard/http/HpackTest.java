package dev.apiguard.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The decoder against RFC 7541 Appendix C, and what it does without the table's history. */
class HpackTest {

    private static List<String> decode(Hpack hpack, String hex) {
        byte[] b = HexFormat.of().parseHex(hex.replace(" ", ""));
        List<String> out = new ArrayList<>();
        assertThat(hpack.decode(b, 0, b.length, (n, v) -> out.add((n == Hpack.UNKNOWN ? "?" : n) + ": " + (v == Hpack.UNKNOWN ? "?" : v))))
                .as("decodes %s", hex).isTrue();
        return out;
    }

    @Test
    void requestsWithoutHuffmanC3() {
        Hpack h = new Hpack(true);
        assertThat(decode(h, "8286 8441 0f77 7777 2e65 7861 6d70 6c65 2e63 6f6d"))
                .containsExactly(":method: GET", ":scheme: http", ":path: /", ":authority: www.example.com");
        assertThat(decode(h, "8286 84be 5808 6e6f 2d63 6163 6865"))
                .containsExactly(":method: GET", ":scheme: http", ":path: /", ":authority: www.example.com", "cache-control: no-cache");
        assertThat(decode(h, "8287 85bf 400a 6375 7374 6f6d 2d6b 6579 0c63 7573 746f 6d2d 7661 6c75 65"))
                .containsExactly(":method: GET", ":scheme: https", ":path: /index.html", ":authority: www.example.com",
                        "custom-key: custom-value");
        assertThat(h.dynamicEntries()).isEqualTo(3);
    }

    @Test
    void requestsWithHuffmanC4() {
        Hpack h = new Hpack(true);
        assertThat(decode(h, "8286 8441 8cf1 e3c2 e5f2 3a6b a0ab 90f4 ff"))
                .containsExactly(":method: GET", ":scheme: http", ":path: /", ":authority: www.example.com");
        assertThat(decode(h, "8286 84be 5886 a8eb 1064 9cbf"))
                .containsExactly(":method: GET", ":scheme: http", ":path: /", ":authority: www.example.com", "cache-control: no-cache");
        assertThat(decode(h, "8287 85bf 4088 25a8 49e9 5ba9 7d7f 8925 a849 e95b b8e8 b4bf"))
                .containsExactly(":method: GET", ":scheme: https", ":path: /index.html", ":authority: www.example.com",
                        "custom-key: custom-value");
    }

    @Test
    void responsesWithHuffmanAndEvictionC6() {
        Hpack h = new Hpack(true, 256);
        assertThat(decode(h, "4882 6402 5885 aec3 771a 4b61 96d0 7abe 9410 54d4 44a8 2005 9504 0b81 66e0 82a6 2d1b ff6e 919d 29ad"
                + " 1718 63c7 8f0b 97c8 e9ae 82ae 43d3"))
                .containsExactly(":status: 302", "cache-control: private", "date: Mon, 21 Oct 2013 20:13:21 GMT",
                        "location: https://www.example.com");
        assertThat(decode(h, "4883 640e ffc1 c0bf"))
                .containsExactly(":status: 307", "cache-control: private", "date: Mon, 21 Oct 2013 20:13:21 GMT",
                        "location: https://www.example.com");
        assertThat(decode(h, "88c1 6196 d07a be94 1054 d444 a820 0595 040b 8166 e084 a62d 1bff c05a 839b d9ab 77ad 94e7 821d d7f2"
                + " e6c7 b335 dfdf cd5b 3960 d5af 2708 7f36 72c1 ab27 0fb5 291f 9587 3160 65c0 03ed 4ee5 b106 3d50 07"))
                .containsExactly(":status: 200", "cache-control: private", "date: Mon, 21 Oct 2013 20:13:22 GMT",
                        "location: https://www.example.com", "content-encoding: gzip",
                        "set-cookie: foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1");
        assertThat(h.dynamicEntries()).isEqualTo(3); // 256 bytes hold only the last three
    }

    @Test
    void joinedMidwayUnknownEntriesAreUnknownNewOnesAreNot() {
        Hpack h = new Hpack(false);
        // An entry from before the agent (index 62) is unknown, name and value.
        assertThat(decode(h, "82 be")).containsExactly(":method: GET", "?: ?");
        // A literal with an unknown indexed name: its value is known; the new entry is addressable.
        assertThat(decode(h, "7f00 03 61 62 63")).containsExactly("?: abc"); // name: index 63 (6-bit prefix 63, then 0)
        assertThat(decode(h, "40 01 78 01 79 be")).containsExactly("x: y", "x: y");
        // Index 63 now is the entry inserted by the previous block, 64 is from before the agent.
        assertThat(decode(h, "bf c0")).containsExactly("?: abc", "?: ?");
    }

    @Test
    void lostBlockForgetsTheTable() {
        Hpack h = new Hpack(true);
        decode(h, "40 01 78 01 79");
        assertThat(decode(h, "be")).containsExactly("x: y");
        h.lostBlock();
        assertThat(decode(h, "be")).containsExactly("?: ?");
        assertThat(h.complete()).isFalse();
    }

    @Test
    void malformedBlocksAreRejectedNotThrown() {
        Hpack h = new Hpack(true);
        for (String bad : List.of("80", "41", "4105", "ff ff ff ff ff ff ff", "0085 ffff ffff ff")) {
            byte[] b = HexFormat.of().parseHex(bad.replace(" ", ""));
            assertThat(h.decode(b, 0, b.length, (n, v) -> {})).as(bad).isFalse();
        }
    }
}
