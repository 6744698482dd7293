package dev.apiguard.bench;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/** The service's data: a fixed, deterministic catalogue, so every run serves the same bytes. */
final class Catalog {
  static final int SIZE = 1000;
  static final int MAX_LIMIT = 100;

  record Dimensions(int widthMm, int heightMm, int depthMm, int weightG) {}

  record Item(long id, String sku, String name, String description, BigDecimal price, String currency,
              int stock, String warehouse, List<String> tags, Dimensions dimensions,
              Map<String, String> attributes, List<Long> relatedIds, String updatedAt) {}

  record ItemSummary(long id, String name, BigDecimal price) {}

  record ItemPage(List<ItemSummary> items, int limit, int total) {}

  record OrderRequest(long itemId, int quantity, String customer) {}

  record OrderLine(long itemId, String sku, String name, int quantity, BigDecimal unitPrice, BigDecimal total) {}

  record Order(String orderId, String status, String customer, OrderLine line, BigDecimal subtotal,
               BigDecimal tax, BigDecimal total, String currency, String warehouse, String estimatedDelivery,
               List<String> notes) {}

  record Problem(String error, String message) {}

  private static final String[] WORDS = {"steel", "oak", "compact", "wireless", "modular", "travel",
      "ergonomic", "outdoor", "classic", "smart", "heavy-duty", "foldable"};
  private static final String[] KINDS = {"lamp", "chair", "kettle", "backpack", "speaker", "desk",
      "bottle", "jacket", "drill", "tent"};
  private static final String[] WAREHOUSES = {"ams-1", "fra-2", "lhr-1", "mad-3"};

  private final List<Item> items;
  private final AtomicLong orderSeq = new AtomicLong();

  Catalog() {
    items = new ArrayList<>(SIZE);
    for (int i = 1; i <= SIZE; i++) items.add(item(i));
  }

  /** Null when there is no such item. */
  Item item(long id) {
    return id >= 1 && id <= SIZE ? items.get((int) id - 1) : null;
  }

  ItemPage page(int limit) {
    var summaries = items.subList(0, limit).stream().map(i -> new ItemSummary(i.id(), i.name(), i.price())).toList();
    return new ItemPage(summaries, limit, SIZE);
  }

  /** Null when the item does not exist. */
  Order order(OrderRequest request) {
    Item item = item(request.itemId());
    if (item == null) return null;
    BigDecimal qty = BigDecimal.valueOf(request.quantity());
    BigDecimal subtotal = item.price().multiply(qty);
    BigDecimal tax = subtotal.multiply(new BigDecimal("0.21")).setScale(2, java.math.RoundingMode.HALF_EVEN);
    var line = new OrderLine(item.id(), item.sku(), item.name(), request.quantity(), item.price(), subtotal);
    return new Order("ord-%010d".formatted(orderSeq.incrementAndGet()), "accepted", request.customer(), line,
        subtotal, tax, subtotal.add(tax), item.currency(), item.warehouse(), "2026-12-01",
        List.of("Packed in recyclable material.", "Signature required on delivery.",
            "Returns accepted within 30 days of delivery, unused and in the original packaging."));
  }

  private static Item item(int i) {
    String name = WORDS[i % WORDS.length] + " " + WORDS[(i / 7) % WORDS.length] + " " + KINDS[i % KINDS.length];
    String description = "A " + name + " built for everyday use: tested for durability, easy to clean, "
        + "and covered by a two-year warranty. Ships from our " + WAREHOUSES[i % WAREHOUSES.length]
        + " warehouse within one business day. Item number " + i + " of the autumn catalogue. Assembly takes about "
        + (5 + i % 40) + " minutes with the included tools; spare parts stay available for at least eight years "
        + "after the last production run, and the packaging is fully recyclable cardboard without plastic film.";
    return new Item(i, "SKU-%06d".formatted(i), name, description,
        BigDecimal.valueOf(499 + (i * 37L) % 20000, 2), "EUR", (i * 13) % 250, WAREHOUSES[i % WAREHOUSES.length],
        List.of(KINDS[i % KINDS.length], WORDS[i % WORDS.length], "autumn", i % 3 == 0 ? "sale" : "regular"),
        new Dimensions(100 + i % 400, 50 + i % 300, 20 + i % 200, 250 + (i * 11) % 5000),
        Map.of("color", i % 2 == 0 ? "graphite" : "sand", "material", WORDS[(i + 3) % WORDS.length],
            "origin", "EU", "energyClass", "A", "warrantyYears", "2"),
        List.of(1L + (i * 7L) % SIZE, 1L + (i * 13L) % SIZE, 1L + (i * 31L) % SIZE, 1L + (i * 61L) % SIZE),
        "2026-11-%02dT%02d:%02d:00Z".formatted(1 + i % 28, i % 24, i % 60));
  }
}
