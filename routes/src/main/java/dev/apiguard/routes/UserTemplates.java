package dev.apiguard.routes;

import java.util.ArrayList;
import java.util.List;

/** The configured route templates, matched segment by segment; the first match in config order wins. */
final class UserTemplates {
    private record Template(String route, String[] segments) {}

    private final List<Template> templates = new ArrayList<>();

    UserTemplates(List<String> configured) {
        for (String route : configured) {
            if (route == null || route.isBlank() || route.charAt(0) != '/') {
                throw new IllegalArgumentException("routes.templates: a template must start with '/', got '" + route + "'");
            }
            templates.add(new Template(route, route.substring(1).split("/", -1)));
        }
    }

    boolean isEmpty() {
        return templates.isEmpty();
    }

    /** The template {@code path} matches, or null. {@code {name}} matches exactly one non-empty segment. */
    String match(String path) {
        if (path.isEmpty() || path.charAt(0) != '/') {
            return null;
        }
        for (Template template : templates) {
            if (matches(template.segments, path)) {
                return template.route;
            }
        }
        return null;
    }

    private static boolean matches(String[] segments, String path) {
        int position = 1;
        for (int i = 0; i < segments.length; i++) {
            int end = path.indexOf('/', position);
            boolean last = i == segments.length - 1;
            if (end < 0) {
                if (!last) {
                    return false;
                }
                end = path.length();
            } else if (last) {
                return false; // the path has more segments
            }
            String segment = segments[i];
            boolean placeholder = segment.length() > 2 && segment.charAt(0) == '{' && segment.charAt(segment.length() - 1) == '}';
            if (placeholder ? end == position : !path.regionMatches(position, segment, 0, segment.length()) || end - position != segment.length()) {
                return false;
            }
            position = end + 1;
        }
        return true;
    }
}
