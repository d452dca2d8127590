package dev.tessera.inventory.tls;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** A CA made at test time and certificates it signs for localhost; nothing of it is ever written outside target/. */
public final class TestCertificates {

    private static final SecureRandom RANDOM = new SecureRandom();

    /** A certificate with its key, and the files they were written to. */
    public record Issued(X509Certificate certificate, KeyPair keys, Path certFile, Path keyFile) {
    }

    /** A CA: its own certificate signs the ones it issues. */
    public record Authority(Issued self) {

        public Path caFile() {
            return self.certFile();
        }

        /** A server certificate for {@code localhost} and {@code 127.0.0.1}, written to {@code dir/name.crt|.key}. */
        public Issued issueServer(Path dir, String name) throws Exception {
            KeyPair keys = rsa();
            X509v3CertificateBuilder builder = builder(self.certificate(), new X500Name("CN=" + name), keys);
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.keyUsage, true,
                    new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
            builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                    new GeneralName(GeneralName.dNSName, "localhost"),
                    new GeneralName(GeneralName.iPAddress, "127.0.0.1")}));
            return write(dir, name, sign(builder, self.keys()), keys);
        }

        /** TLS for a stub server that presents {@code issued}. */
        public static SSLContext serving(Issued issued) throws GeneralSecurityException, IOException {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("server", issued.keys().getPrivate(), new char[0],
                    new java.security.cert.Certificate[] {issued.certificate()});
            KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keyManagers.init(store, new char[0]);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keyManagers.getKeyManagers(), null, RANDOM);
            return context;
        }

        /** TLS for a client that trusts this CA and nothing else. */
        public SSLContext trustingOnlyThis() throws GeneralSecurityException, IOException {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setCertificateEntry("ca", self.certificate());
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), RANDOM);
            return context;
        }
    }

    private TestCertificates() {
    }

    /** A new self-signed CA, written to {@code dir/name.crt|.key}. */
    public static Authority authority(Path dir, String name) throws Exception {
        KeyPair keys = rsa();
        X500Name subject = new X500Name("CN=" + name);
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, serial(),
                Date.from(Instant.now().minus(Duration.ofMinutes(5))), Date.from(Instant.now().plus(Duration.ofDays(1))),
                subject, keys.getPublic());
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        return new Authority(write(dir, name, sign(builder, keys), keys));
    }

    private static X509v3CertificateBuilder builder(X509Certificate issuer, X500Name subject, KeyPair keys) {
        return new JcaX509v3CertificateBuilder(issuer, serial(),
                Date.from(Instant.now().minus(Duration.ofMinutes(5))), Date.from(Instant.now().plus(Duration.ofDays(1))),
                subject, keys.getPublic());
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair signer) throws Exception {
        return new JcaX509CertificateConverter()
                .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(signer.getPrivate())));
    }

    private static Issued write(Path dir, String name, X509Certificate certificate, KeyPair keys) throws IOException {
        Files.createDirectories(dir);
        Path certFile = dir.resolve(name + ".crt");
        Path keyFile = dir.resolve(name + ".key");
        Files.writeString(certFile, pem(certificate));
        Files.writeString(keyFile, pem(keys.getPrivate()));
        return new Issued(certificate, keys, certFile, keyFile);
    }

    private static String pem(Object object) throws IOException {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(object);
        }
        return out.toString();
    }

    private static KeyPair rsa() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048, RANDOM);
        return generator.generateKeyPair();
    }

    private static BigInteger serial() {
        return new BigInteger(64, RANDOM);
    }
}
