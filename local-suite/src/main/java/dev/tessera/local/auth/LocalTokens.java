package dev.tessera.local.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The local suite's stand-in for an organisation's OIDC provider: an RSA key pair under the state folder and
 * RS256 bearer tokens signed with it, carrying the role in the MicroProfile JWT {@code groups} claim.
 * Plain JDK crypto, so the suite needs no extra library to mint what the services verify.
 *
 * <pre>
 *   keys DIR                                     create DIR/private-key.pem and DIR/public-key.pem unless present
 *   mint --key PEM --role ROLE [--role ROLE2] [--subject NAME] [--ttl 1h] [--issuer URL] [--out FILE]
 * </pre>
 */
public final class LocalTokens {

    public static final String DEFAULT_ISSUER = "https://tessera.local";
    public static final String PRIVATE_KEY_FILE = "private-key.pem";
    public static final String PUBLIC_KEY_FILE = "public-key.pem";
    public static final Set<String> ROLES = Set.of("viewer", "planner", "admin", "operator", "scheduler");

    private static final Pattern TTL = Pattern.compile("(\\d+)([smhd])");

    private LocalTokens() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            usage("no command");
        }
        try {
            switch (args[0]) {
                case "keys" -> {
                    if (args.length != 2) {
                        usage("keys DIR");
                    }
                    boolean created = ensureKeyPair(Path.of(args[1]));
                    System.out.println(created ? "created key pair in " + args[1] : "key pair present in " + args[1]);
                }
                case "mint" -> mint(args);
                default -> usage("unknown command " + args[0]);
            }
        } catch (IllegalArgumentException e) {
            // a bad option or value: the message names it, without the usage of this class's own commands
            System.err.println("tessera-local token: " + e.getMessage());
            System.exit(2);
        }
    }

    private static void mint(String[] args) throws IOException, GeneralSecurityException {
        Path key = null;
        Path out = null;
        List<String> roles = new ArrayList<>();
        String subject = null;
        String issuer = DEFAULT_ISSUER;
        Duration ttl = Duration.ofHours(1);
        for (int i = 1; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            if (value == null) {
                throw new IllegalArgumentException(args[i] + " needs a value");
            }
            switch (args[i]) {
                case "--key" -> key = Path.of(value);
                case "--role" -> roles.add(value);
                case "--subject" -> subject = value;
                case "--ttl" -> ttl = parseTtl(value);
                case "--issuer" -> issuer = value;
                case "--out" -> out = Path.of(value);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
            i++;
        }
        if (key == null || roles.isEmpty()) {
            throw new IllegalArgumentException("a token needs --role ROLE (and --key PEM)");
        }
        String token = mint(readPrivateKey(key), issuer, subject == null ? roles.get(0) : subject, roles, ttl,
                Instant.now());
        if (out == null) {
            System.out.println(token);
        } else {
            writeSecret(out, token);
        }
    }

    /** Creates the key pair unless both files exist; true when it created them. */
    public static boolean ensureKeyPair(Path dir) throws IOException, GeneralSecurityException {
        Path priv = dir.resolve(PRIVATE_KEY_FILE);
        Path pub = dir.resolve(PUBLIC_KEY_FILE);
        if (Files.exists(priv) && Files.exists(pub)) {
            return false;
        }
        Files.createDirectories(dir);
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair pair = generator.generateKeyPair();
        writeSecret(priv, pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
        Files.writeString(pub, pem("PUBLIC KEY", pair.getPublic().getEncoded()));
        return true;
    }

    /** A compact RS256 JWS with the claims the services check: iss, sub/upn, groups, iat, exp. */
    public static String mint(PrivateKey key, String issuer, String subject, List<String> roles, Duration ttl,
            Instant now) throws GeneralSecurityException {
        for (String role : roles) {
            if (!ROLES.contains(role)) {
                throw new IllegalArgumentException("unknown role " + role + "; one of " + String.join(", ", new java.util.TreeSet<>(ROLES)));
            }
        }
        if (subject.isBlank()) {
            throw new IllegalArgumentException("the subject must not be blank");
        }
        long iat = now.getEpochSecond();
        StringBuilder groups = new StringBuilder();
        for (String role : roles) {
            groups.append(groups.isEmpty() ? "" : ",").append(json(role));
        }
        String header = "{\"alg\":\"RS256\",\"typ\":\"JWT\"}";
        String claims = "{\"iss\":" + json(issuer) + ",\"sub\":" + json(subject) + ",\"upn\":" + json(subject)
                + ",\"groups\":[" + groups + "],\"iat\":" + iat + ",\"exp\":" + (iat + ttl.toSeconds())
                + ",\"jti\":" + json(UUID.randomUUID().toString()) + "}";
        String signingInput = b64(header.getBytes(StandardCharsets.UTF_8)) + "."
                + b64(claims.getBytes(StandardCharsets.UTF_8));
        Signature signature = Signature.getInstance("SHA256withRSA");
        signature.initSign(key);
        signature.update(signingInput.getBytes(StandardCharsets.US_ASCII));
        return signingInput + "." + b64(signature.sign());
    }

    public static PrivateKey readPrivateKey(Path pem) throws IOException, GeneralSecurityException {
        String body = Files.readString(pem).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(body)));
    }

    static Duration parseTtl(String text) {
        var m = TTL.matcher(text);
        if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
            throw new IllegalArgumentException("--ttl takes a positive count and a unit s, m, h or d, e.g. 1h");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
    }

    // written to a sibling and moved into place, so a service re-reading its token file never sees half a token
    private static void writeSecret(Path file, String content) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, ".token", ".tmp");
        try {
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException ignored) {
            // not a POSIX file system; the state folder's own permissions apply
        }
        Files.writeString(tmp, content);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String json(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    private static void usage(String problem) {
        System.err.println("tessera-local token: " + problem);
        System.err.println("usage: keys DIR | mint --key PEM --role ROLE [--subject NAME] [--ttl 1h] [--issuer URL] [--out FILE]");
        System.exit(2);
    }
}
