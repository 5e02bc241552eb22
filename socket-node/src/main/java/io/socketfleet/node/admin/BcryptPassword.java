package io.socketfleet.node.admin;

import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

/** bcrypt as bcryptjs writes it ($2a$, $2b$, $2y$): the admin UI's password check. */
final class BcryptPassword {

    private BcryptPassword() {
    }

    /** Refuses anything that is not a bcrypt hash (admin-ui refuses to start on one too). */
    static void requireHash(String hash) {
        if (hash == null || !hash.matches("\\$2[aby]\\$\\d\\d\\$[./A-Za-z0-9]{53}")) {
            throw new IllegalArgumentException("the admin UI's password must be a bcrypt hash ($2b$10$…)");
        }
    }

    /** True when {@code password} is the one hashed; slow on purpose (the hash's cost). */
    static boolean matches(String hash, String password) {
        return password != null && OpenBSDBCrypt.checkPassword(hash, password.toCharArray());
    }
}
