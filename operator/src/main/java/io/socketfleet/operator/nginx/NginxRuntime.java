package io.socketfleet.operator.nginx;

/**
 * Where nginx runs: what it listens on and where it keeps its pid, temp files and logs.
 * Differs between the nginx pod and local mode; the proxying itself does not.
 *
 * @param listen    the {@code listen} argument: a port, or address:port
 * @param pidFile   path of the pid file
 * @param tempDir   directory for nginx's temp paths (writable by a non-root nginx)
 * @param errorLog  error log target
 * @param accessLog access log target, or "off"
 */
public record NginxRuntime(String listen, String pidFile, String tempDir, String errorLog, String accessLog) {

    /** The nginx pod: unprivileged image, read-only root file system, writable /tmp. */
    public static NginxRuntime inPod(int port) {
        return new NginxRuntime(Integer.toString(port), "/tmp/nginx.pid", "/tmp", "/dev/stderr warn", "/dev/stdout");
    }
}
