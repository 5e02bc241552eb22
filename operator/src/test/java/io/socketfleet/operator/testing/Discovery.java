package io.socketfleet.operator.testing;

import java.net.URI;

/**
 * The API discovery documents kubectl needs before it can apply or scale a SocketFleet; the
 * CRUD mock does not serve them, so the tests do (core v1 and the socketfleet.io group only).
 */
final class Discovery {

    private Discovery() {
    }

    static String document(String pathAndQuery) {
        String path = URI.create(pathAndQuery).getPath();
        return switch (path) {
            case "/api" -> """
                    {"kind":"APIVersions","versions":["v1"],"serverAddressByClientCIDRs":[{"clientCIDR":"0.0.0.0/0","serverAddress":"127.0.0.1"}]}""";
            case "/apis" -> """
                    {"kind":"APIGroupList","apiVersion":"v1","groups":[{"name":"socketfleet.io",
                     "versions":[{"groupVersion":"socketfleet.io/v1alpha1","version":"v1alpha1"}],
                     "preferredVersion":{"groupVersion":"socketfleet.io/v1alpha1","version":"v1alpha1"}}]}""";
            case "/api/v1" -> """
                    {"kind":"APIResourceList","groupVersion":"v1","resources":[
                     {"name":"namespaces","singularName":"namespace","namespaced":false,"kind":"Namespace","verbs":["create","get","list"]}]}""";
            case "/apis/socketfleet.io/v1alpha1" -> """
                    {"kind":"APIResourceList","apiVersion":"v1","groupVersion":"socketfleet.io/v1alpha1","resources":[
                     {"name":"socketfleets","singularName":"socketfleet","namespaced":true,"kind":"SocketFleet","shortNames":["sf"],
                      "verbs":["create","delete","get","list","patch","update","watch"]},
                     {"name":"socketfleets/status","singularName":"","namespaced":true,"kind":"SocketFleet","verbs":["get","patch","update"]},
                     {"name":"socketfleets/scale","singularName":"","namespaced":true,"group":"autoscaling","version":"v1","kind":"Scale",
                      "verbs":["get","patch","update"]}]}""";
            case "/version" -> """
                    {"major":"1","minor":"32","gitVersion":"v1.32.0","platform":"linux/amd64"}""";
            default -> null;
        };
    }
}
