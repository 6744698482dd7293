package dev.apiguard.semantics;

/** What kind of business failure a response reports. Label values of {@code error_type}. */
public enum ErrorType {
    RATE_LIMIT("rate_limit"),
    AUTH_FAILURE("auth_failure"),
    PAYMENT_FAILURE("payment_failure"),
    VALIDATION("validation"),
    NOT_FOUND("not_found"),
    GENERIC_BUSINESS_ERROR("generic_business_error");

    private final String label;

    ErrorType(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public static ErrorType fromLabel(String label) {
        for (ErrorType type : values()) {
            if (type.label.equals(label)) {
                return type;
            }
        }
        throw new IllegalArgumentException("unknown error_type '" + label + "'");
    }
}
