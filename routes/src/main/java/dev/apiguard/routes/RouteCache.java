package dev.apiguard.routes;

/**
 * A direct-mapped cache of (service, raw target) → route. Lock-free: slots hold immutable entries,
 * whose final fields make a racy read see either a whole entry or another one, never a torn one.
 * Bounded by its slot count; a collision replaces the slot.
 */
final class RouteCache {
    private record Entry(String service, String rawPath, String route) {}

    private final Entry[] slots;
    private final int mask;

    RouteCache(int slotsPowerOfTwo) {
        this.slots = new Entry[slotsPowerOfTwo];
        this.mask = slotsPowerOfTwo - 1;
    }

    String get(String service, String rawPath) {
        Entry entry = slots[index(service, rawPath)];
        if (entry != null && entry.rawPath.equals(rawPath) && entry.service.equals(service)) {
            return entry.route;
        }
        return null;
    }

    void put(String service, String rawPath, String route) {
        slots[index(service, rawPath)] = new Entry(service, rawPath, route);
    }

    private int index(String service, String rawPath) {
        int h = rawPath.hashCode() * 31 + service.hashCode();
        return (h ^ (h >>> 16)) & mask;
    }
}
