import { MemoryAuditLog } from '../../src/infra/memory-audit';
import { auditLogContract } from './audit-log.contract';

describe('MemoryAuditLog (embedded mode)', () => {
  auditLogContract(async (options) => new MemoryAuditLog(options));
});
