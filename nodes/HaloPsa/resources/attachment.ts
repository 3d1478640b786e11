import { showFor } from '../shared/display';
import { filtersCollection, haloField, idLocator, sortByName } from '../shared/fields';
import { attachmentToBinary, attachmentUploadBody, checkDownloadOptions, DEFAULT_MAX_FILE_MB } from '../shared/files';
import { checkActionIds, checkUrlId } from '../shared/hooks';
import { operationOption, operationSelector } from '../shared/operations';
import type { HaloResource } from '../shared/resource';
import type { ResourceSpec } from '../shared/specs';
import { ticket } from './ticket';

const spec: ResourceSpec = {
	value: 'attachment',
	label: 'Attachment',
	plural: 'Attachments',
	path: '/Attachment',
	// OpenAPI Attachment_View; HaloAPI-PS, pyhalopsa, redanthrax agree (no live capture)
	listKey: 'attachments',
	paged: false,
	area: 'tickets',
};

/**
 * Files on tickets and actions, as n8n binary data: Upload (one request for every binary
 * property of the item), Get Many of a ticket or action, Download into a binary property, Delete.
 */
export const attachment: HaloResource = {
	spec,
	properties: [
		operationSelector(
			spec,
			[
				operationOption(spec, 'delete'),
				{
					name: 'Download',
					value: 'download',
					action: 'Download an attachment',
					description: 'Download a file into a binary property (GET /Attachment/{ID})',
					routing: {
						request: {
							method: 'GET',
							url: spec.path,
							// read as it arrives, so a file over Max File Size is stopped, never held whole
							encoding: 'stream',
							json: false,
							headers: { Accept: '*/*' },
						},
						send: { paginate: true, preSend: [checkUrlId(spec), checkDownloadOptions] },
						output: { postReceive: [attachmentToBinary] },
					},
				},
				{
					...operationOption(spec, 'getAll', [checkActionIds]),
					action: 'Get many attachments of a ticket',
				},
				{
					name: 'Upload',
					value: 'upload',
					action: 'Upload files to a ticket',
					description: 'Upload binary data to a ticket or one of its actions (POST /Attachment)',
					routing: {
						request: { method: 'POST', url: spec.path },
						send: { paginate: true, preSend: [attachmentUploadBody] },
					},
				},
			],
			'upload',
		),
		...showFor('attachment', ['upload', 'getAll'], [idLocator(ticket.spec, 'ticketId', undefined, 'searchTickets')]),
		...showFor(
			'attachment',
			['download', 'delete'],
			[
				{
					displayName: 'Attachment ID',
					name: 'attachmentId',
					type: 'string',
					required: true,
					default: '',
					description: 'ID of the attachment (from Get Many)',
				},
			],
		),
		...showFor(
			'attachment',
			['upload'],
			[
				{
					displayName: 'Input Binary Field',
					name: 'binaryPropertyName',
					type: 'string',
					required: true,
					default: 'data',
					hint: 'The name of the input binary field containing the file to be uploaded',
					description: 'Binary property holding the file; several separated by commas are uploaded in one request',
				},
			],
		),
		...showFor(
			'attachment',
			['download'],
			[
				{
					displayName: 'Put Output File in Field',
					name: 'binaryPropertyName',
					type: 'string',
					required: true,
					default: 'data',
					hint: 'The name of the output binary field to put the file in',
					description: 'Binary property the downloaded file is written to',
				},
				{
					displayName: 'Options',
					name: 'downloadOptions',
					type: 'collection',
					placeholder: 'Add Option',
					default: {},
					options: [
						{
							displayName: 'Max File Size (MB)',
							name: 'maxFileSizeMb',
							type: 'number',
							typeOptions: { minValue: 0 },
							default: DEFAULT_MAX_FILE_MB,
							description: 'A larger file is refused: n8n stops reading it at this size (0 = no limit)',
						},
					],
				},
			],
		),
		...showFor(
			'attachment',
			['upload'],
			[
				{
					displayName: 'Options',
					name: 'uploadOptions',
					type: 'collection',
					placeholder: 'Add Option',
					default: {},
					options: sortByName([
						haloField(
							{ key: 'note', displayName: 'Note', type: 'string', description: 'Text stored with the attachment' },
							'body',
						),
						haloField(
							{
								key: 'showforusers',
								displayName: 'Show For Users',
								type: 'boolean',
								description: 'Whether end users see the attachment in the portal',
							},
							'body',
						),
						// the options below shape the files and are not sent as fields themselves
						{
							displayName: 'Action ID',
							name: 'action_id',
							type: 'string',
							default: '',
							description:
								'Attach to this action of the ticket (from Ticket Action Get Many) instead of the ticket itself',
						},
						{
							displayName: 'File Name',
							name: 'fileName',
							type: 'string',
							default: '',
							description:
								"Name Halo shows for the file; default: the binary data's file name. Used when one file is uploaded.",
						},
						{
							displayName: 'MIME Type',
							name: 'mimeType',
							type: 'string',
							default: '',
							placeholder: 'e.g. application/pdf',
							description:
								"Content type of the file; default: the binary data's MIME type. Used when one file is uploaded.",
						},
						{
							displayName: 'Max File Size (MB)',
							name: 'maxFileSizeMb',
							type: 'number',
							typeOptions: { minValue: 0 },
							default: DEFAULT_MAX_FILE_MB,
							description: 'A larger or empty file is refused before anything is sent (0 = no limit)',
						},
					]),
				},
			],
		),
		...showFor(
			'attachment',
			['getAll'],
			[
				filtersCollection([
					{
						key: 'action_id',
						displayName: 'Action ID',
						type: 'number',
						description: 'Only the files of this action of the ticket',
					},
				]),
			],
		),
	],
};
