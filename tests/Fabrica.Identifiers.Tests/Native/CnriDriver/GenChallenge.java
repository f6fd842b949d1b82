// Generates the vectors of CnriChallengeVectors.cs with CNRI's own encoder (see that file for the source commit).
// javac -cp <CNRI classes>:cnriutil.jar GenChallenge.java && java -cp .:<CNRI classes>:cnriutil.jar GenChallenge
import net.handle.hdllib.*;
import java.security.*;
import java.security.spec.*;
public class GenChallenge {
  static String hex(byte[] b){ StringBuilder s=new StringBuilder(); for(byte x:b) s.append(String.format("%02x",x&0xff)); return s.toString(); }
  static void fix(AbstractMessage m){ m.majorProtocolVersion=2; m.minorProtocolVersion=11; m.expiration=1767225600; m.siteInfoSerial=1; }
  static byte[] msg(AbstractMessage m) throws Exception { m.messageBody=null; m.encodedMessage=null; return m.getEncodedMessage(); }
  public static void main(String[] a) throws Exception {
    byte[] h = Util.encodeString("88.100.12/PUMP-0001");
    HandleValue url = new HandleValue(1, Util.encodeString("URL"), Util.encodeString("https://example.com/pump/1"), HandleValue.TTL_TYPE_RELATIVE, 86400, 1700000000, null, true, true, true, false);
    AdminRecord ar = new AdminRecord(Util.encodeString("0.NA/88.100.12"), 200, true,true,true,true,true,true,true,true,true,true,true,true);
    HandleValue adm = new HandleValue(100, Util.encodeString("HS_ADMIN"), Encoder.encodeAdminRecord(ar), HandleValue.TTL_TYPE_RELATIVE, 86400, 1700000000, null, true, true, true, false);
    CreateHandleRequest cr = new CreateHandleRequest(h, new HandleValue[]{url, adm}, null); fix(cr);
    System.out.println("create_request_body="+hex(cr.getEncodedMessageBody()));
    ChallengeResponse ch = new ChallengeResponse(cr);
    byte[] nonce = new byte[16]; for (int i=0;i<16;i++) nonce[i]=(byte)i; ch.nonce = nonce; fix(ch);
    System.out.println("challenge_version="+ch.majorProtocolVersion+"."+ch.minorProtocolVersion+" rdHashType="+ch.rdHashType);
    System.out.println("challenge_digest="+hex(ch.requestDigest));
    System.out.println("challenge="+hex(msg(ch)));
    // Ed25519 over nonce || requestDigest, as PublicKeyAuthenticationInfo.authenticate signs (signer.update(nonce); update(digest)).
    byte[] seed = new byte[32]; for (int i=0;i<32;i++) seed[i]=(byte)(i+1);
    KeyFactory kf = KeyFactory.getInstance("Ed25519");
    PrivateKey pk = kf.generatePrivate(new EdECPrivateKeySpec(NamedParameterSpec.ED25519, seed));
    Signature s = Signature.getInstance("Ed25519"); s.initSign(pk); s.update(ch.nonce); s.update(ch.requestDigest);
    byte[] sig = s.sign();
    byte[] alg = Util.encodeString("Ed25519");
    byte[] signed = new byte[8 + alg.length + sig.length];
    int off = Encoder.writeByteArray(signed, 0, alg); Encoder.writeByteArray(signed, off, sig);
    System.out.println("signed_response="+hex(signed));
    ChallengeAnswerRequest ans = new ChallengeAnswerRequest(Util.encodeString("HS_PUBKEY"), Util.encodeString("0.NA/88.100.12"), 300, signed, null);
    ans.takeValuesFrom(cr); fix(ans);
    System.out.println("answer="+hex(msg(ans)));
    CreateHandleResponse ok = new CreateHandleResponse(h); fix(ok);
    System.out.println("create_success="+hex(msg(ok)));
    ErrorResponse bad = new ErrorResponse(AbstractMessage.OC_CREATE_HANDLE, AbstractMessage.RC_AUTHENTICATION_FAILED, Util.encodeString("authentication failed")); fix(bad);
    System.out.println("auth_failed="+hex(msg(bad)));
    ErrorResponse busy = new ErrorResponse(AbstractMessage.OC_RESOLUTION, AbstractMessage.RC_SERVER_TOO_BUSY, Util.encodeString("server too busy")); fix(busy);
    System.out.println("server_too_busy="+hex(msg(busy)));

  }
}
