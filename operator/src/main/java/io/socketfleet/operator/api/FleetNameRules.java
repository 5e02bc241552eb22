package io.socketfleet.operator.api;

import java.util.regex.Pattern;

/**
 * What a fleet's name and namespace may be. Every child's name is the fleet's name plus a
 * suffix (the longest: {@code -redis-auth}), and Services need DNS-1035 labels of at most 63
 * characters — so a fleet name is a DNS-1035 label short enough to take any suffix. The same
 * rules keep names safe to write into nginx.conf.
 */
public final class FleetNameRules {

    /** A DNS label's limit (RFC 1035). */
    public static final int DNS_LABEL_MAX = 63;
    /** The longest suffix the operator appends to a fleet's name. */
    public static final String LONGEST_SUFFIX = "-redis-auth";
    /** 63 - 11: room for the longest suffix. */
    public static final int MAX_NAME_LENGTH = DNS_LABEL_MAX - 11;

    /** DNS-1035 label: lower-case letters, digits and '-', starting with a letter, not ending with '-'. */
    public static final String DNS_1035_LABEL = "^[a-z]([-a-z0-9]*[a-z0-9])?$";
    /** DNS-1123 label (what namespaces are): like DNS-1035, but may start with a digit. */
    public static final String DNS_1123_LABEL = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$";

    /** The CRD's CEL rule on metadata.name; the API server enforces it at admission. */
    public static final String NAME_RULE = "self.metadata.name.matches('" + DNS_1035_LABEL + "') && size(self.metadata.name) <= "
            + MAX_NAME_LENGTH;
    public static final String NAME_RULE_MESSAGE = "metadata.name must be a DNS-1035 label (lower-case letters, digits and '-', "
            + "starting with a letter) of at most " + MAX_NAME_LENGTH + " characters, so that every object named after it "
            + "(the longest: NAME" + LONGEST_SUFFIX + ") is a valid Service name";

    private static final Pattern NAME = Pattern.compile(DNS_1035_LABEL);
    private static final Pattern NAMESPACE = Pattern.compile(DNS_1123_LABEL);

    private FleetNameRules() {
    }

    /** Why {@code name} cannot name a fleet, or null when it can. */
    public static String nameProblem(String name) {
        if (name == null || name.isEmpty()) {
            return "metadata.name is required";
        }
        if (!NAME.matcher(name).matches() || name.length() > MAX_NAME_LENGTH) {
            return NAME_RULE_MESSAGE + ", got '" + printable(name) + "'";
        }
        return null;
    }

    /** Why {@code namespace} cannot be a namespace, or null when it can. */
    public static String namespaceProblem(String namespace) {
        if (namespace == null || !NAMESPACE.matcher(namespace).matches() || namespace.length() > DNS_LABEL_MAX) {
            return "metadata.namespace must be a DNS-1123 label (lower-case letters, digits and '-') of at most "
                    + DNS_LABEL_MAX + " characters, got '" + printable(namespace) + "'";
        }
        return null;
    }

    /** The value as it may be quoted in a message: control characters shown as '?'. */
    private static String printable(String value) {
        return value == null ? "" : value.replaceAll("\\p{Cntrl}", "?");
    }
}
