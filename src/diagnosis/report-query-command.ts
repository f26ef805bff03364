/** The Logs Insights query, as a command, that fetches a function's REPORT and kill lines for the last hour. */
export function reportQueryCommand(functionName = 'FUNCTION'): string {
  return `aws logs start-query --log-group-name /aws/lambda/${functionName} --start-time $(date -d '-1 hour' +%s) --end-time $(date +%s) --query-string 'filter @type = "REPORT" or @message like /signal: killed|exit status 137|Runtime.ExitError|OutOfMemory/ | fields @timestamp, @requestId, @maxMemoryUsed, @memorySize, @message | sort @timestamp desc | limit 200'`;
}
