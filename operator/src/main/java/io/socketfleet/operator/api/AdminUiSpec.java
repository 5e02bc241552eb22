package io.socketfleet.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.ValidationRule;
import io.socketfleet.contract.NodeSetting;
import io.socketfleet.contract.NodeSettings;

import java.util.ArrayList;
import java.util.List;

/**
 * The @socket.io/admin-ui protocol on every node of the fleet. Its password hash comes from a
 * Secret through the pods' environment, never from the resource itself.
 */
@ValidationRule(value = "!self.enabled || has(self.passwordSecret)",
        message = "adminUi.enabled needs adminUi.passwordSecret (a Secret key holding the bcrypt hash)")
public class AdminUiSpec {

    /** The hosted UI's origin: it connects to the nodes cross-origin, with credentials. */
    public static final String HOSTED_UI_ORIGIN = "https://admin.socket.io";

    @JsonPropertyDescription("Serve the admin UI's /admin namespace on every node, showing the whole fleet through Redis.")
    @Default("false")
    private boolean enabled;

    @JsonPropertyDescription("User name the admin UI logs in with.")
    @Default("admin")
    @Pattern("^\\S+$")
    private String username = "admin";

    @JsonPropertyDescription("Secret key holding the bcrypt hash of the password ($2a$/$2b$/$2y$, e.g. from bcryptjs), "
            + "not the password itself.")
    private SecretKeyRef passwordSecret;

    @JsonPropertyDescription("Only look: no emit, join, leave or disconnect from the UI.")
    @Default("false")
    private boolean readonly;

    /** admin-ui's {@code mode}. */
    public enum Mode { development, production }

    @JsonPropertyDescription("admin-ui's mode. development (its default): the sockets, rooms and their changes, and every "
            + "event each socket receives and sends, from every node through Redis; production: only each node's stats and "
            + "the dashboard's aggregated charts, cheap for a busy fleet.")
    @Default("development")
    private Mode mode = Mode.development;

    // Each origin is checked by the fleet validator: a CEL rule over an unbounded list costs more than the API server admits.
    @JsonPropertyDescription("Origins the UI is served from, allowed cross-origin with credentials on the nodes' "
            + "Engine.IO endpoint (CORS_ORIGINS); the hosted UI's by default. Empty: only a UI served from the fleet's own origin.")
    @Default("[\"" + HOSTED_UI_ORIGIN + "\"]")
    private List<String> allowedOrigins = new ArrayList<>(List.of(HOSTED_UI_ORIGIN));

    /**
     * {@code settings} and what this spec tells the nodes, named by the contract's table — all but
     * the password hash, which each place that starts nodes takes from the Secret its own way (the
     * kubelet from a secretKeyRef, local mode from a file).
     */
    public NodeSettings addTo(NodeSettings settings) {
        if (!enabled) {
            return settings;
        }
        NodeSettings with = settings.with(NodeSetting.ADMIN_UI, "true").with(NodeSetting.ADMIN_UI_USERNAME, username);
        if (readonly) {
            with = with.with(NodeSetting.ADMIN_UI_READONLY, "true");
        }
        if (mode == Mode.production) {
            with = with.with(NodeSetting.ADMIN_UI_MODE, mode.name());
        }
        // The UI connects from its own origin with credentials, so it must be named (the node never sends credentials to '*').
        if (!allowedOrigins.isEmpty()) {
            with = with.with(NodeSetting.CORS_ORIGINS, String.join(",", allowedOrigins));
        }
        return with;
    }

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public String getUsername() {
        return username;
    }

    public void setUsername(String username) {
        this.username = username;
    }

    public SecretKeyRef getPasswordSecret() {
        return passwordSecret;
    }

    public void setPasswordSecret(SecretKeyRef passwordSecret) {
        this.passwordSecret = passwordSecret;
    }

    public Mode getMode() {
        return mode;
    }

    public void setMode(Mode mode) {
        this.mode = mode;
    }

    public boolean isReadonly() {
        return readonly;
    }

    public void setReadonly(boolean readonly) {
        this.readonly = readonly;
    }

    public List<String> getAllowedOrigins() {
        return allowedOrigins;
    }

    public void setAllowedOrigins(List<String> allowedOrigins) {
        this.allowedOrigins = allowedOrigins;
    }
}
