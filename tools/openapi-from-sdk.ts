// npm run schemas:openapi: writes the OpenAPI documents of the first-admin scripts' operations,
// derived from the apps' npm SDKs (tools/openapi/documents.ts), under schemas/.
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { APP_APIS, absoluteDocumentPath, deriveDocument, documentPath, documentText } from "./openapi/documents";

for (const api of APP_APIS) {
    const document = deriveDocument(api);
    mkdirSync(dirname(absoluteDocumentPath(api)), { recursive: true });
    writeFileSync(absoluteDocumentPath(api), documentText(document));
    const paths = document["paths"] as Record<string, object>;
    const operations = Object.values(paths).reduce((count, methods) => count + Object.keys(methods).length, 0);
    const components = Object.keys((document["components"] as { schemas: object }).schemas).length;
    console.log(`${documentPath(api)}: ${operations} operations, ${components} schemas`);
}
