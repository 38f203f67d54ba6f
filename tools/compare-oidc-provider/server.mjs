// node oidc-provider 9 (an OpenID-certified provider) with one confidential client
// allowed the client_credentials grant, for the comparison in BENCHMARKS.md:
//   npm ci --prefix tools/compare-oidc-provider
//   NODE_ENV=production PORT=3999 node tools/compare-oidc-provider/server.mjs
// Its defaults are what a quick deployment gets: opaque access tokens kept in the
// in-memory adapter (this service writes each token to its database).
import Provider from 'oidc-provider';

const port = Number(process.env.PORT || 3999);
const provider = new Provider(`http://127.0.0.1:${port}`, {
  clients: [{
    client_id: 'bench-machine',
    client_secret: 'a-long-random-client-secret-for-the-benchmark-0123456789',
    grant_types: ['client_credentials'],
    redirect_uris: [],
    response_types: [],
    token_endpoint_auth_method: 'client_secret_basic',
  }],
  features: {
    clientCredentials: { enabled: true },
    devInteractions: { enabled: false },
  },
});
provider.listen(port, '127.0.0.1', () => console.log(`oidc-provider listening on ${port}`));
