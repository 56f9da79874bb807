package dev.parley.client.group;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.protocol.Identity;
import dev.parley.protocol.IdentityKey;
import dev.parley.protocol.UserName;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.spec.EdECPrivateKeySpec;
import java.security.spec.NamedParameterSpec;
import java.util.List;
import org.bouncycastle.math.ec.rfc8032.Ed25519;
import org.junit.jupiter.api.Test;

/**
 * The test vector of docs/p2p.md ("Groups", "Test vector"), so that another client can check its
 * payload, hash and signature against ours: keys from fixed seeds, a fixed group id and clock.
 */
class TestVectorTest {
  static final GroupId GROUP = new GroupId("6c1f0a2e-93b4-4d1e-8f7a-5b2c9d0e1f34");
  static final UserName ALICE = new UserName("alice");
  static final UserName BOB = new UserName("bob");

  /** The identity whose Ed25519 seed is the bytes {@code first}, {@code first + 1}, ... */
  static Identity seeded(int first) throws Exception {
    byte[] seed = new byte[32];
    for (int i = 0; i < 32; i++) {
      seed[i] = (byte) (first + i);
    }
    byte[] publicKey = new byte[32];
    Ed25519.generatePublicKey(seed, 0, publicKey, 0);
    return new Identity(
        IdentityKey.ofRaw(publicKey),
        KeyFactory.getInstance("Ed25519")
            .generatePrivate(new EdECPrivateKeySpec(NamedParameterSpec.ED25519, seed)));
  }

  @Test
  void theSpecsExampleEntriesHaveTheseHashesAndSignatures() throws Exception {
    Identity alice = seeded(0);
    Identity bob = seeded(32);
    LogEntry create =
        LogEntry.sign(
            alice,
            GROUP,
            ALICE,
            1,
            1795525200000L,
            List.of(),
            new Op.Create(
                "Climbing",
                List.of(
                    new MemberKey(ALICE, alice.publicKey()), new MemberKey(BOB, bob.publicKey()))));
    LogEntry hello =
        LogEntry.sign(
            bob, GROUP, BOB, 1, 1795525260000L, List.of(create.hash()), Op.Text.of("hello"));

    LogEntry add =
        LogEntry.sign(
            alice,
            GROUP,
            ALICE,
            2,
            1795525300000L,
            List.of(create.hash(), hello.hash()),
            new Op.Add(new MemberKey(new UserName("carol"), seeded(64).publicKey())));

    assertThat(EntryJson.encode(create).toString())
        .isEqualTo(
            "{\"v\":1,\"group\":\"6c1f0a2e-93b4-4d1e-8f7a-5b2c9d0e1f34\",\"author\":\"alice\",\"seq\":1,"
                + "\"ts\":1795525200000,\"parents\":[],\"op\":\"create\",\"title\":\"Climbing\","
                + "\"members\":[{\"name\":\"alice\",\"key\":\"A6EHv_POEL4dcN0Y50vAmWfk1jCbpQ1fHdyGZBJVMbg\"},"
                + "{\"name\":\"bob\",\"key\":\"Kay64UG8yvCyLhqU000LxzYeUm0L_hLIl5S8kyKWbdc\"}],"
                + "\"sig\":\"HxUeSpzyLzmf9iyByrjeE5Unf56s4-o587S8v57uvG0pbsV8-v6w3X3jNGBpMbaeEDo9yFyh5ZIAde5bR9IzBg\"}");
    assertThat(create.hash())
        .isEqualTo("e3861782b50f77d97c5dd621fe5fe40ee5f3a82c3134b202d0f1b4b62a5ad672");
    assertThat(hello.signature().encoded())
        .isEqualTo(
            "moF6vwuMOTP7E9EF6WSVypT6iRmxM8Nj1wEKC5zGkgl_Jw-AmeDI_jglrwT-6_b-jtujYjPQctUSILYkYlPwBQ");
    assertThat(hello.hash())
        .isEqualTo("0e29b64d82f423643f90192d7a8e2870ccef1e1724995344d6ba284756360119");
    assertThat(add.hash())
        .isEqualTo("9ba2e966b32e3eec49572bc691c1f0ac7ce84e37d824a796d791a29cbe29e56d");

    byte[] bytes = "hello group".getBytes(StandardCharsets.UTF_8);
    LogEntry file =
        LogEntry.sign(
            bob,
            GROUP,
            BOB,
            2,
            1795525320000L,
            List.of(hello.hash(), add.hash()),
            Op.File.of("route.txt", "text/plain", bytes.length, Hashes.sha256(bytes)));
    assertThat(new String(file.payload(), StandardCharsets.UTF_8))
        .endsWith(
            "\nfile\n"
                + "0e29b64d82f423643f90192d7a8e2870ccef1e1724995344d6ba284756360119,"
                + "9ba2e966b32e3eec49572bc691c1f0ac7ce84e37d824a796d791a29cbe29e56d\n"
                + "a67b93cef838a924413aa7c1046fdbfd09d21cec4e2dd0ed5582d060b60532c4\n"
                + "db5f1ca204dc9739bae80a9ebf37d789e892623fca74b9eff5415714f6bcdb0e 11\n");
    assertThat(file.signature().encoded())
        .isEqualTo(
            "_kWa_0vhivTmQ2LJWhajRNW0Novm9Ddg-C63m3r2rRkDQr7rABYy-ryVy6LpSGU0EOWj0L8zoaj5ZHvKAOUQAg");
    assertThat(file.hash())
        .isEqualTo("0f37fd96abf7557b11c415d8b9930ca41e74487adb96f293ce39e45b07a9f9f2");
    assertThat(EntryJson.decode(EntryJson.encode(file))).isEqualTo(file);
    assertThat(file.stub().verifies(bob.publicKey())).isTrue();
  }
}
