// The exact RPC parameters of GenerateOTAUploadURL and CreateOTAFirmware (docs/protocols.md §4.1, §4.2, §13.6). Pure:
// the client sends these parameters and `upload --dry-run` prints them.
import type { CreateFirmwareRequest, FirmwareSuffix } from '../types';
import type { RpcParams } from './params';

export function uploadUrlParams(suffix: FirmwareSuffix): RpcParams {
	return { FileSuffix: suffix };
}

export function createFirmwareParams(req: CreateFirmwareRequest): RpcParams {
	return {
		FirmwareUrl: req.firmwareUrl,
		FirmwareName: req.firmwareName,
		DestVersion: req.destVersion,
		ProductKey: req.productKey,
		FirmwareSign: req.firmwareSign,
		SignMethod: req.signMethod,
		FirmwareSize: req.firmwareSize,
		SrcVersion: req.srcVersion,
		ModuleName: req.moduleName,
		Type: req.type,
		FirmwareDesc: req.firmwareDesc,
		NeedToVerify: req.needToVerify,
		MultiFiles: req.multiFiles?.map((f) => ({
			Name: f.name,
			Url: f.url,
			Size: f.size,
			SignValue: f.signValue,
			FileMd5: f.fileMd5,
		})),
	};
}
