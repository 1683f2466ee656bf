/**
 * Keys every suite runs with unless it sets its own: the master key of personal fields'
 * encryption (production refuses to start without one, and int specs open stores as
 * production does on a database server). Test keys only, never used anywhere else.
 */
process.env['SAMVERKAN_MASTER_KEYS'] ??= 'test-1:dGVzdC1tYXN0ZXIta2V5LTAxMjM0NTY3ODktMDEyMzQ=';
