package io.socketfleet.node.admin;

/**
 * How the admin UI is served: who may log in ({@code passwordHash} is a bcrypt hash, as admin-ui's
 * {@code auth: { type: "basic", username, password }} takes it), whether it may change anything, and
 * admin-ui's {@code mode}: {@code development} shows sockets, rooms and every event; production only
 * the servers and the dashboard's aggregated charts.
 */
public record AdminUiOptions(String username, String passwordHash, boolean readonly, boolean development) {

    /** In development mode, admin-ui's default. */
    public AdminUiOptions(String username, String passwordHash, boolean readonly) {
        this(username, passwordHash, readonly, true);
    }

    public AdminUiOptions {
        if (username == null || username.isEmpty()) {
            throw new IllegalArgumentException("the admin UI needs a user name");
        }
        BcryptPassword.requireHash(passwordHash);
    }

    /** The hash is a secret of sorts (it can be attacked offline): never printed. */
    @Override
    public String toString() {
        return "AdminUiOptions[username=" + username + ", readonly=" + readonly + (development ? "" : ", production") + "]";
    }
}
